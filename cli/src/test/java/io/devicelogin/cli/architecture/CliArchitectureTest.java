package io.devicelogin.cli.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The command's shape, as docs/architecture.md draws it. */
class CliArchitectureTest {
  private static final JavaClasses CLI =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.devicelogin.cli");

  @Test
  void noTwoPackagesOfTheCommandDependOnEachOther() {
    slices().matching("io.devicelogin.cli.(*)..").should().beFreeOfCycles().check(CLI);
  }

  @Test
  void theSupportingPackagesDoNotReachBackIntoTheCommands() {
    // Commands live in the top package and use the packages below; picocli's @ParentCommand
    // idiom stays inside the top package.
    noClasses()
        .that()
        .resideOutsideOfPackage("io.devicelogin.cli")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.devicelogin.cli")
        .check(CLI);
  }

  @Test
  void onlyTheCommandsAndTheStartUpCodeReachIntoTheServer() {
    // The server and demo commands start it; start-up shares its logging set-up.
    noClasses()
        .that()
        .resideOutsideOfPackages("io.devicelogin.cli", "io.devicelogin.cli.startup..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.devicelogin.server..")
        .check(CLI);
  }
}
