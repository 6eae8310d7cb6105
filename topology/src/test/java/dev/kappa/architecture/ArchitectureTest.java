package dev.kappa.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** The package rules of DESIGN.md and STYLE.md, for the modules on this classpath. */
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
    rule.check(KAPPA);
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
    rule.check(KAPPA);
  }

  @Test
  void shouldUseInternalPackagesOnlyFromTheirOwnModule() {
    ArchRule rule =
        noClasses()
            .that()
            .resideOutsideOfPackage("dev.kappa.topology..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.kappa.topology.internal..");
    rule.check(KAPPA);
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
    rule.check(KAPPA);
  }
}
