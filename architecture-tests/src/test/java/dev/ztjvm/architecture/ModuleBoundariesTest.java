package dev.ztjvm.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries of docs/architecture.md, checked on the compiled classes of every module: the layer order,
 * internal packages private to their module, a netstack that knows nothing of ZeroTier, and no package split over
 * two modules.
 */
class ModuleBoundariesTest {

  /**
   * The layer of every module of the parent pom: a module may use classes of lower layers only (never of its own
   * layer's other modules, never of a higher one). A new module gets a line here, with the layer that says what it
   * may depend on.
   */
  static final Map<String, Integer> LAYERS = Map.ofEntries(
      entry("zerotier-netstack", 0),
      entry("zerotier-protocol", 1),
      entry("zerotier-controller", 2),
      entry("zerotier-controller-jdbc", 3),
      entry("zerotier-sockets", 3),
      entry("zerotier-netty", 4),
      entry("zerotier-central", 4),
      entry("zerotier-native", 4),
      entry("zerotier-spring-boot-autoconfigure", 5),
      entry("zerotier-spring-boot-starter", 6),
      entry("zerotier-spring-boot-test", 6),
      entry("zerotier-tools", 7),
      entry("benchmarks", 7),
      entry("sample-app", 7),
      entry("architecture-tests", 8),
      entry("zerotier-bom", 8)); // versions only, no code

  /** Uses of another module's internal class that are allowed for now: none. */
  static final Set<String> PENDING = Set.of();

  private static ProjectClasses project;

  @BeforeAll
  static void load() {
    project = ProjectClasses.load();
  }

  @Test
  void everyModuleHasALayer() {
    assertThat(LAYERS.keySet())
        .as("modules of the parent pom vs ModuleBoundariesTest.LAYERS")
        .containsExactlyInAnyOrderElementsOf(project.modules());
  }

  @Test
  void theRulesReadEveryModule() {
    Set<String> seen = new TreeSet<>();
    for (JavaClass c : project.classes()) {
      seen.add(project.moduleOf(c.getName()));
    }
    assertThat(seen).contains("zerotier-netstack", "zerotier-protocol", "zerotier-controller", "zerotier-sockets",
        "zerotier-netty", "zerotier-central", "zerotier-native", "zerotier-tools", "benchmarks",
        "zerotier-spring-boot-autoconfigure", "zerotier-spring-boot-test", "sample-app");
  }

  @Test
  void modulesDependOnlyOnLowerLayers() {
    classes().should(ModuleRules.dependOnlyOnLowerLayers(project::moduleOf, LAYERS)).check(project.classes());
  }

  @Test
  void internalPackagesAreUsedOnlyInTheirModule() {
    classes().should(ModuleRules.useNoInternalClassOfAnotherModule(project::moduleOf, PENDING))
        .check(project.classes());
  }

  @Test
  void netstackUsesNothingOfZeroTier() {
    noClasses().that().resideInAPackage("dev.ztjvm.netstack..")
        .should().dependOnClassesThat(resideInAPackage("dev.ztjvm..").and(not(resideInAPackage(
            "dev.ztjvm.netstack.."))))
        .check(project.classes());
  }

  @Test
  void noPackageIsSplitOverTwoModules() {
    Map<String, Set<String>> modulesOfPackage = new TreeMap<>();
    for (JavaClass c : project.classes()) {
      modulesOfPackage.computeIfAbsent(c.getPackageName(), p -> new TreeSet<>()).add(project.moduleOf(c.getName()));
    }
    modulesOfPackage.values().removeIf(m -> m.size() == 1);
    assertThat(modulesOfPackage).as("packages whose main classes are in more than one module").isEmpty();
  }
}
