package dev.ztjvm.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small profile as the README documents it: its one command line of the form
 * {@code NAME=value … java <jvm options> -jar sample-app/target/sample-app.jar}, split into the environment and the
 * JVM options.
 */
record SmallProfile(Map<String, String> environment, List<String> jvmOptions) {

  static SmallProfile fromReadme(Path readme) throws IOException {
    List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8).stream()
        .filter(l -> l.startsWith("MALLOC_ARENA_MAX=") && l.contains(" java ") && l.contains(" -jar "))
        .toList();
    if (lines.size() != 1) {
      throw new AssertionError(readme.toAbsolutePath() + " should have exactly one small-profile line"
          + " 'MALLOC_ARENA_MAX=… java … -jar …', found " + lines);
    }
    List<String> words = Arrays.asList(lines.get(0).trim().split("\\s+"));
    Map<String, String> environment = new LinkedHashMap<>();
    int i = 0;
    for (; !words.get(i).equals("java"); i++) {
      String[] nameValue = words.get(i).split("=", 2);
      environment.put(nameValue[0], nameValue[1]);
    }
    List<String> jvmOptions = new ArrayList<>();
    for (i++; !words.get(i).equals("-jar"); i++) {
      jvmOptions.add(words.get(i));
    }
    return new SmallProfile(Map.copyOf(environment), List.copyOf(jvmOptions));
  }
}
