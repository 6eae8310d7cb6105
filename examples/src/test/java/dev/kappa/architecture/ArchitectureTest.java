package dev.kappa.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/**
 * The package rules of DESIGN.md and STYLE.md for the modules above {@code topology}: the examples
 * see every module, so the rules that span them live here ({@code topology} checks its own and
 * those below it).
 */
class ArchitectureTest {

  private static final JavaClasses KAPPA =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.kappa");

  @Test
  void shouldFindTheModulesItChecks() {
    // Without this, an empty import would pass every rule below.
    assertThat(KAPPA.containPackage("dev.kappa.reprocessing")).isTrue();
    assertThat(KAPPA.containPackage("dev.kappa.examples.networkusage")).isTrue();
    assertThat(KAPPA.containPackage("dev.kappa.examples.pagehits")).isTrue();
    assertThat(KAPPA.containPackage("dev.kappa.examples.failedlogins")).isTrue();
    assertThat(KAPPA.containPackage("dev.kappa.api")).isTrue();
  }

  @Test
  void shouldKeepMicronautOutOfTheReprocessingModule() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("dev.kappa.reprocessing..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.micronaut..");
    assertHolds(rule);
  }

  @Test
  void shouldImportMicronautOnlyInTheApiModuleAndTheExampleThatRunsTheService() {
    ArchRule rule =
        noClasses()
            .that()
            .resideOutsideOfPackage("dev.kappa.api..")
            .and()
            .doNotHaveFullyQualifiedName("dev.kappa.examples.demo.DemoServices")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.micronaut..");
    assertHolds(rule);
  }

  @Test
  void shouldKeepTheLowerModulesIndependentOfReprocessing() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAnyPackage(
                "dev.kappa.topology..",
                "dev.kappa.stores..",
                "dev.kappa.serde..",
                "dev.kappa.embedded..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.kappa.reprocessing..");
    assertHolds(rule);
  }

  @Test
  void shouldUseTheInternalPackagesOfReprocessingOnlyFromReprocessing() {
    ArchRule rule =
        noClasses()
            .that()
            .resideOutsideOfPackage("dev.kappa.reprocessing..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "dev.kappa.reprocessing.internal..", "dev.kappa.reprocessing.replay.internal..");
    assertHolds(rule);
  }

  @Test
  void shouldUseTheInternalPackagesOfTopologyOnlyFromTopology() {
    ArchRule rule =
        noClasses()
            .that()
            .resideOutsideOfPackage("dev.kappa.topology..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.kappa.topology.internal..");
    assertHolds(rule);
  }

  @Test
  void shouldNotUseTestCodeInTheExamplesMainCode() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("dev.kappa.examples..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.kappa.topology.testing..", "org.junit..", "org.assertj..");
    assertHolds(rule);
  }

  private static void assertHolds(ArchRule rule) {
    EvaluationResult result = rule.evaluate(KAPPA);
    assertThat(result.hasViolation()).as(result.getFailureReport().toString()).isFalse();
  }
}
