package dev.ztjvm.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The rules catch what they are for: tried on fixture classes split into two made-up modules. */
class ModuleRulesTest {

  private static final String FIXTURE = "dev.ztjvm.architecture.fixture";
  private static final JavaClasses FIXTURES = new ClassFileImporter().importPackages(FIXTURE);

  private static @Nullable String moduleOf(String className) {
    if (className.startsWith(FIXTURE + ".lower.")) {
      return "lower";
    }
    if (className.startsWith(FIXTURE + ".upper.")) {
      return "upper";
    }
    return null;
  }

  @Test
  void anotherModulesInternalClassIsReportedAndOwnUseIsNot() {
    List<String> details = classes()
        .should(ModuleRules.useNoInternalClassOfAnotherModule(ModuleRulesTest::moduleOf, Set.of()))
        .evaluate(FIXTURES).getFailureReport().getDetails();

    assertThat(details).isNotEmpty().allSatisfy(line -> assertThat(line)
        .startsWith("upper uses lower's internal " + FIXTURE + ".lower.internal.Hidden")
        .contains("UsesHidden"));
  }

  @Test
  void anExemptPairIsNotReported() {
    boolean failed = classes()
        .should(ModuleRules.useNoInternalClassOfAnotherModule(ModuleRulesTest::moduleOf,
            Set.of("upper -> " + FIXTURE + ".lower.internal.Hidden")))
        .evaluate(FIXTURES).hasViolation();

    assertThat(failed).isFalse();
  }

  @Test
  void aDependencyOnAHigherLayerIsReported() {
    List<String> details = classes()
        .should(ModuleRules.dependOnlyOnLowerLayers(ModuleRulesTest::moduleOf, Map.of("lower", 0, "upper", 1)))
        .evaluate(FIXTURES).getFailureReport().getDetails();

    assertThat(details).isNotEmpty().allSatisfy(line -> assertThat(line)
        .startsWith("lower (layer 0) depends on upper (layer 1)")
        .contains("CallsUp"));
  }

  @Test
  void aModuleWithoutALayerIsReported() {
    boolean failed = classes()
        .should(ModuleRules.dependOnlyOnLowerLayers(ModuleRulesTest::moduleOf, Map.of("lower", 0)))
        .evaluate(FIXTURES.that(com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage(
            FIXTURE + ".upper")))
        .hasViolation();

    assertThat(failed).isTrue();
  }
}
