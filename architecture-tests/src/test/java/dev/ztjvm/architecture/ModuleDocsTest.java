package dev.ztjvm.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The docs about modules say what the code does: every module's README names the modules it may depend on, and its
 * classes use no other; the renamed public types in docs/changes.md are gone under the old name and present under
 * the new one.
 */
class ModuleDocsTest {

  private static final Pattern MAY_DEPEND = Pattern.compile("\\*\\*May depend on:\\*\\*(.*?)(?:\\n\\s*\\n|\\z)",
      Pattern.DOTALL);
  private static final Pattern TICKED = Pattern.compile("`([^`]+)`");
  private static final Pattern RENAME_ROW = Pattern.compile(
      "^\\| `(dev\\.ztjvm\\.[\\w.]+)` \\| `(dev\\.ztjvm\\.[\\w.]+)` \\|",
      Pattern.MULTILINE);

  private static ProjectClasses project;

  @BeforeAll
  static void load() {
    project = ProjectClasses.load();
  }

  @Test
  void everyModuleReadmeNamesWhatItMayDependOnAndTheCodeKeepsToIt() throws IOException {
    Map<String, Set<String>> used = new TreeMap<>();
    for (JavaClass c : project.classes()) {
      String from = project.moduleOf(c.getName());
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        String to = project.moduleOf(d.getTargetClass().getName());
        if (to != null && !to.equals(from)) {
          used.computeIfAbsent(from, m -> new TreeSet<>()).add(to);
        }
      }
    }
    List<String> problems = new ArrayList<>();
    for (String module : project.modules()) {
      Path readme = project.root().resolve(module).resolve("README.md");
      if (!Files.isRegularFile(readme)) {
        problems.add(module + ": no README.md");
        continue;
      }
      Matcher m = MAY_DEPEND.matcher(Files.readString(readme));
      if (!m.find()) {
        problems.add(module + "/README.md: no '**May depend on:**' line");
        continue;
      }
      String allowedText = m.group(1);
      if (allowedText.contains("every")) {
        continue; // an application at the top: anything below it
      }
      Set<String> allowed = new TreeSet<>();
      Matcher t = TICKED.matcher(allowedText);
      while (t.find()) {
        allowed.add(t.group(1));
      }
      assertThat(project.modules()).as(module + "/README.md names modules that exist").containsAll(allowed);
      for (String dependency : used.getOrDefault(module, Set.of())) {
        if (!allowed.contains(dependency)) {
          problems.add(module + " uses " + dependency + ", which its README does not allow");
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void renamedTypesInTheChangesPageAreWhereItSays() throws IOException {
    String page = Files.readString(project.root().resolve("docs/changes.md"));
    Set<String> names = new TreeSet<>();
    for (JavaClass c : project.classes()) {
      names.add(c.getName());
    }
    Matcher row = RENAME_ROW.matcher(page);
    int rows = 0;
    while (row.find()) {
      rows++;
      assertThat(names).as("old name in docs/changes.md").doesNotContain(row.group(1));
      assertThat(names).as("new name in docs/changes.md").contains(row.group(2));
    }
    assertThat(rows).as("rename rows in docs/changes.md").isPositive();
  }
}
