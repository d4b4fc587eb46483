package dev.ztjvm.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the Java code in the docs compiling: every {@code ```java} block in {@code README.md} and {@code docs/*.md}
 * must be preceded by a marker {@code <!-- snippet: Class#region -->} naming a region of a class in this package
 * ({@code // region name} ... {@code // endregion}), and must equal that region (indentation removed). The classes
 * are test sources, so the build fails if a snippet stops compiling, and this test fails if a page and its class
 * drift apart or a page adds Java code nothing compiles.
 */
class DocsSnippetsTest {

  private static final Pattern MARKER = Pattern.compile("^<!--\\s*snippet:\\s*(\\w+)#([\\w-]+)\\s*-->\\s*$");
  private static final Pattern REGION = Pattern.compile("^\\s*// region ([\\w-]+)\\s*$");
  private static final Pattern END_REGION = Pattern.compile("^\\s*// endregion\\s*$");

  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      if (Files.isDirectory(p.resolve("docs")) && Files.isRegularFile(p.resolve("pom.xml"))
          && Files.isDirectory(p.resolve("zerotier-tools"))) {
        return p;
      }
      p = p.getParent();
    }
    throw new AssertionError("repository root (with docs/ and zerotier-tools/) not found above "
        + Path.of("").toAbsolutePath());
  }

  static Path snippetDir(Path root) {
    return root.resolve("zerotier-tools/src/test/java/dev/ztjvm/docs");
  }

  static List<Path> pages(Path root) throws IOException {
    List<Path> pages = new ArrayList<>();
    pages.add(root.resolve("README.md"));
    try (Stream<Path> s = Files.list(root.resolve("docs"))) {
      s.filter(f -> f.getFileName().toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    return pages;
  }

  /** Regions of one snippet class: name → dedented lines. */
  static Map<String, List<String>> regions(Path javaFile) {
    List<String> lines;
    try {
      lines = Files.readAllLines(javaFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = REGION.matcher(lines.get(i));
      if (!m.matches()) {
        continue;
      }
      List<String> body = new ArrayList<>();
      int j = i + 1;
      while (j < lines.size() && !END_REGION.matcher(lines.get(j)).matches()) {
        body.add(lines.get(j));
        j++;
      }
      if (j == lines.size()) {
        throw new AssertionError(javaFile + ": region " + m.group(1) + " has no // endregion");
      }
      if (out.put(m.group(1), dedent(body)) != null) {
        throw new AssertionError(javaFile + ": region " + m.group(1) + " defined twice");
      }
      i = j;
    }
    return out;
  }

  static List<String> dedent(List<String> lines) {
    int indent = Integer.MAX_VALUE;
    for (String l : lines) {
      if (!l.isBlank()) {
        indent = Math.min(indent, l.length() - l.stripLeading().length());
      }
    }
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      out.add(l.isBlank() ? "" : l.substring(indent).stripTrailing());
    }
    return out;
  }

  /** One {@code ```java} block of a page. */
  record Block(Path page, int line, String clazz, String region, List<String> body) {}

  /** Java blocks of a page; {@code problems} collects blocks without a marker. */
  static List<Block> javaBlocks(Path root, Path page, List<String> problems) throws IOException {
    List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
    List<Block> blocks = new ArrayList<>();
    String rel = root.relativize(page).toString();
    for (int i = 0; i < lines.size(); i++) {
      String fence = lines.get(i).strip();
      if (!fence.startsWith("```")) {
        continue;
      }
      String lang = fence.substring(3).strip();
      int end = i + 1;
      while (end < lines.size() && !lines.get(end).strip().equals("```")) {
        end++;
      }
      if (lang.equals("java")) {
        int prev = i - 1;
        while (prev >= 0 && lines.get(prev).isBlank()) {
          prev--;
        }
        Matcher m = prev >= 0 ? MARKER.matcher(lines.get(prev).strip()) : null;
        if (m != null && m.matches()) {
          blocks.add(new Block(page, i + 1, m.group(1), m.group(2), dedent(lines.subList(i + 1, end))));
        } else {
          problems.add(rel + ":" + (i + 1) + ": ```java block without a <!-- snippet: Class#region --> marker; put"
              + " the code in a class under zerotier-tools/src/test/java/dev/ztjvm/docs and reference its region");
        }
      }
      i = end;
    }
    return blocks;
  }

  @Test
  void everyJavaBlockInTheDocsIsACompiledSnippet() throws IOException {
    Path root = repoRoot();
    List<String> problems = new ArrayList<>();
    Set<String> used = new HashSet<>();
    Map<String, Map<String, List<String>>> classes = new LinkedHashMap<>();
    int checked = 0;
    for (Path page : pages(root)) {
      for (Block b : javaBlocks(root, page, problems)) {
        String where = root.relativize(page) + ":" + b.line();
        Path source = snippetDir(root).resolve(b.clazz() + ".java");
        if (!Files.isRegularFile(source)) {
          problems.add(where + ": snippet class " + b.clazz() + " not found at " + root.relativize(source));
          continue;
        }
        Map<String, List<String>> regions = classes.computeIfAbsent(b.clazz(), c -> regions(source));
        List<String> expected = regions.get(b.region());
        if (expected == null) {
          problems.add(where + ": " + b.clazz() + " has no region " + b.region() + " (has " + regions.keySet() + ")");
          continue;
        }
        used.add(b.clazz() + "#" + b.region());
        checked++;
        if (!expected.equals(b.body())) {
          problems.add(where + ": block differs from " + b.clazz() + "#" + b.region() + "; it should read:\n"
              + String.join("\n", expected));
        }
      }
    }
    // Every region of every snippet class must appear in a page: code that is compiled but shown nowhere is a sign
    // that a page lost its copy.
    try (Stream<Path> s = Files.list(snippetDir(root))) {
      for (Path f : s.filter(f -> f.toString().endsWith("Snippets.java")).sorted().toList()) {
        String clazz = f.getFileName().toString().replace(".java", "");
        for (String region : regions(f).keySet()) {
          if (!used.contains(clazz + "#" + region)) {
            problems.add(root.relativize(f) + ": region " + region + " is shown in no page");
          }
        }
      }
    }
    assertThat(problems).as("doc snippet problems").isEmpty();
    assertThat(checked).as("java blocks checked").isPositive();
  }

  @Test
  void markerCheckCatchesADriftedBlockAndAnUnmarkedOne(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws IOException {
    Path root = repoRoot();
    Path page = tmp.resolve("probe.md");
    String region = String.join("\n", regions(snippetDir(root).resolve("TroubleshootingSnippets.java"))
        .get("counters"));
    Files.writeString(page, "<!-- snippet: TroubleshootingSnippets#counters -->\n```java\n"
        + region.replace("datagramsOut", "datagramsOUT") + "\n```\n\n```java\nint x = 1;\n```\n");
    List<String> problems = new ArrayList<>();
    List<Block> blocks = javaBlocks(tmp, page, problems);
    assertThat(problems).singleElement().asString().startsWith("probe.md:").contains("```java block without a <!-- snippet");
    assertThat(blocks).singleElement().satisfies(b -> {
      assertThat(b.line()).isEqualTo(2);
      assertThat(b.body()).isNotEqualTo(
          regions(snippetDir(root).resolve(b.clazz() + ".java")).get(b.region()));
      assertThat(String.join("\n", b.body()).replace("datagramsOUT", "datagramsOut")).isEqualTo(region);
    });
  }
}
