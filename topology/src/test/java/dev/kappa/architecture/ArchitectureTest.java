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
 * The package rules of DESIGN.md and STYLE.md for {@code topology} and the modules below it; the
 * rules that span the modules above (who may use {@code topology.internal}) are in the examples,
 * which see every module.
 */
class ArchitectureTest {

  private static final JavaClasses KAPPA =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.kappa");

  @Test
  void shouldKeepMicronautOutOfThePlainJavaModules() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAnyPackage("dev.kappa.topology..", "dev.kappa.stores..", "dev.kappa.serde..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.micronaut..");
    assertHolds(rule);
  }

  @Test
  void shouldKeepStateStoresBelowTheTopology() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAnyPackage("dev.kappa.stores..", "dev.kappa.serde..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.kappa.topology..");
    assertHolds(rule);
  }

  @Test
  void shouldNotUseTheTestKitInMainCodeOutsideTheTestingPackage() {
    ArchRule rule =
        noClasses()
            .that()
            .resideOutsideOfPackage("dev.kappa.topology.testing..")
            .should()
            .dependOnClassesThat()
            .haveFullyQualifiedName("org.apache.kafka.streams.TopologyTestDriver");
    assertHolds(rule);
  }

  private static void assertHolds(ArchRule rule) {
    EvaluationResult result = rule.evaluate(KAPPA);
    assertThat(result.hasViolation()).as(result.getFailureReport().toString()).isFalse();
  }
}
