package io.devicelogin.client.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The client library's shape, as docs/architecture.md draws it: a change that breaks it fails. */
class ClientArchitectureTest {
  /** The packages that do the work, above the vocabulary and the shared values. */
  private static final String[] ENGINES = {
    "io.devicelogin.client.flow..",
    "io.devicelogin.client.http..",
    "io.devicelogin.client.metadata..",
    "io.devicelogin.client.provider..",
    "io.devicelogin.client.tokens.."
  };

  private static final JavaClasses CLIENT =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.devicelogin.client");

  @Test
  void theClientLibraryKnowsNothingOfTheServerOrTheCommand() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.devicelogin.server..", "io.devicelogin.cli..")
        .check(CLIENT);
  }

  @Test
  void noTwoPackagesOfTheClientDependOnEachOther() {
    slices().matching("io.devicelogin.client.(*)..").should().beFreeOfCycles().check(CLIENT);
  }

  @Test
  void theProtocolVocabularyDependsOnNoOtherPartOfTheClient() {
    noClasses()
        .that()
        .resideInAnyPackage("io.devicelogin.client.wire..", "io.devicelogin.client.text..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(ENGINES)
        .check(CLIENT);
  }

  @Test
  void onlyTheEntryPointOfTheTopPackageReachesIntoTheEngines() {
    // The top package holds the entry point and the values every layer shares (Secret, TokenSet,
    // the exceptions); the values must stay below the engines that return them.
    noClasses()
        .that()
        .resideInAPackage("io.devicelogin.client")
        .and()
        .doNotHaveSimpleName("DeviceLogin")
        .and()
        .areNotNestedClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(ENGINES)
        .check(CLIENT);
  }

  @Test
  void theRfcPollingEngineKnowsNoProvider() {
    noClasses()
        .that()
        .resideInAPackage("io.devicelogin.client.flow..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.devicelogin.client.provider..")
        .check(CLIENT);
  }
}
