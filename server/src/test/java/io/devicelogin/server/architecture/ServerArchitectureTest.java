package io.devicelogin.server.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.devicelogin.client.Secret;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The server's layers, as docs/architecture.md draws them: wiring → pages and endpoints → services
 * → stores → the database, with the protocol vocabulary below them all. A change that points an
 * arrow upwards, or makes two packages depend on each other, fails here.
 */
class ServerArchitectureTest {
  private static final String[] WIRING = {
    "io.devicelogin.server", "io.devicelogin.server.http..", "io.devicelogin.server.startup.."
  };
  private static final String[] EDGES = {
    "io.devicelogin.server.web..", "io.devicelogin.server.oauth.."
  };
  private static final String[] SERVICES = {
    "io.devicelogin.server.device..",
    "io.devicelogin.server.grant..",
    "io.devicelogin.server.identity..",
    "io.devicelogin.server.policy..",
    "io.devicelogin.server.audit..",
    "io.devicelogin.server.upstream..",
    "io.devicelogin.server.admin.."
  };
  private static final String[] STORES = {"io.devicelogin.server.store.."};
  private static final String[] FOUNDATION = {
    "io.devicelogin.server.protocol..",
    "io.devicelogin.server.config..",
    "io.devicelogin.server.crypto..",
    "io.devicelogin.server.metrics.."
  };

  /** The stores' rows: records, with the enums and builders nested in them. */
  private static final DescribedPredicate<JavaClass> ROWS =
      DescribedPredicate.describe(
          "rows",
          c -> c.isRecord() || c.getEnclosingClass().map(JavaClass::isRecord).orElse(false));

  private static final JavaClasses SERVER =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.devicelogin.server");

  /**
   * The stores' rows (records such as {@code Grant} and {@code User}) travel up through the
   * services to the pages as values; the store classes that read and write them stay below.
   */
  @Test
  void everyArrowBetweenTheLayersPointsDown() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("wiring")
        .definedBy(WIRING)
        .layer("pages and endpoints")
        .definedBy(EDGES)
        .layer("services")
        .definedBy(SERVICES)
        .layer("stores")
        .definedBy(resideInAnyPackage(STORES).and(not(ROWS)))
        .layer("foundation")
        .definedBy(FOUNDATION)
        .whereLayer("wiring")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("pages and endpoints")
        .mayOnlyBeAccessedByLayers("wiring")
        .whereLayer("services")
        .mayOnlyBeAccessedByLayers("wiring", "pages and endpoints")
        .whereLayer("stores")
        .mayOnlyBeAccessedByLayers("wiring", "services")
        .check(SERVER);
  }

  @Test
  void noTwoPackagesOfTheServerDependOnEachOther() {
    slices().matching("io.devicelogin.server.(*)..").should().beFreeOfCycles().check(SERVER);
  }

  @Test
  void everyPackageBelongsToALayer() {
    noClasses()
        .should()
        .resideOutsideOfPackages(concat(WIRING, EDGES, SERVICES, STORES, FOUNDATION))
        .check(SERVER);
  }

  @Test
  void servicesAndStoresKnowNothingOfHttp() {
    noClasses()
        .that()
        .resideInAnyPackage(
            concat(SERVICES, STORES, new String[] {"io.devicelogin.server.config.."}))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..")
        .check(SERVER);
  }

  @Test
  void theServerUsesOnlyTheClientsProtocolTypes() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.devicelogin.client.flow..",
            "io.devicelogin.client.http..",
            "io.devicelogin.client.provider..",
            "io.devicelogin.client.tokens..",
            "io.devicelogin.cli..")
        .check(SERVER);
    noClasses()
        .should()
        .dependOnClassesThat(
            resideInAPackage("io.devicelogin.client").and(not(equivalentTo(Secret.class))))
        .because("of the client's top package only Secret, the redacting type, is shared")
        .check(SERVER);
  }

  private static String[] concat(String[]... groups) {
    return Arrays.stream(groups).flatMap(Arrays::stream).toArray(String[]::new);
  }
}
