package dev.ztjvm.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The main classes of every module of the checkout, read from each module's {@code target/classes} (so a class's
 * module is the folder it was compiled into, whatever its package says), and the module list of the parent pom.
 */
final class ProjectClasses {

  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

  private final Path root;
  private final List<String> modules;
  private final JavaClasses classes;
  private final Map<String, String> moduleOfClass = new LinkedHashMap<>();

  private ProjectClasses(Path root) {
    this.root = root;
    this.modules = readModules(root.resolve("pom.xml"));
    List<Path> folders = new ArrayList<>();
    for (String module : modules) {
      Path sources = root.resolve(module).resolve("src/main/java");
      Path compiled = root.resolve(module).resolve("target/classes");
      if (!Files.isDirectory(sources)) {
        continue; // a module without main code (the starter, these tests)
      }
      if (!Files.isDirectory(compiled.resolve("dev"))) {
        throw new IllegalStateException(compiled + " has no classes: build the modules first, e.g. "
            + "mvn -B -pl architecture-tests -am verify");
      }
      folders.add(compiled);
    }
    // Spring AOT's generated classes (Foo__BeanDefinitions, in the packages of the classes they describe) and CGLIB
    // proxies are build output of the application, not code of a module.
    this.classes = new ClassFileImporter()
        .withImportOption(location -> !location.contains("__") && !location.contains("$$SpringCGLIB"))
        .importPaths(folders);
    for (JavaClass c : classes) {
      moduleOfClass.put(c.getName(), moduleOfLocation(c));
    }
  }

  /** The checkout named by the {@code zt.root.dir} system property (set by this module's pom). */
  static ProjectClasses load() {
    String dir = System.getProperty("zt.root.dir");
    if (dir == null) {
      throw new IllegalStateException("system property zt.root.dir (the checkout root) is not set; run through Maven");
    }
    return new ProjectClasses(Path.of(dir).toAbsolutePath().normalize());
  }

  List<String> modules() {
    return modules;
  }

  /** The checkout root. */
  Path root() {
    return root;
  }

  JavaClasses classes() {
    return classes;
  }

  /** The module a project class was compiled in, or null for a class of a library or the JDK. */
  String moduleOf(String className) {
    return moduleOfClass.get(className);
  }

  private String moduleOfLocation(JavaClass c) {
    String uri = c.getSource().orElseThrow().getUri().toString();
    int at = uri.indexOf("/target/classes/");
    String before = uri.substring(0, at);
    return before.substring(before.lastIndexOf('/') + 1);
  }

  private static List<String> readModules(Path pom) {
    try {
      Matcher m = MODULE.matcher(Files.readString(pom));
      List<String> names = new ArrayList<>();
      while (m.find()) {
        names.add(m.group(1).trim());
      }
      return List.copyOf(names);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return classes.size() + " classes of " + modules.size() + " modules under " + root;
  }
}
