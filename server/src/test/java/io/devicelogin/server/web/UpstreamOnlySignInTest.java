package io.devicelogin.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.Secret;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.store.AuditEvent;
import io.devicelogin.server.testing.StoreSnapshot;
import io.devicelogin.server.testing.TestIssuer;
import io.devicelogin.server.testing.TestServer;
import io.devicelogin.server.web.Browser.Page;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code "local_accounts": false}: only the identity provider's button, and no password is read.
 */
@ExtendWith(NoSecretsInOutput.class)
class UpstreamOnlySignInTest {
  @RegisterExtension static final TestIssuer CORP = new TestIssuer("devicelogin", Optional.empty());

  @TempDir static Path configDir;
  private static TestServer server;

  @BeforeAll
  static void start() throws IOException {
    Path file =
        Files.writeString(
            configDir.resolve("config.json"),
            """
            { "upstreams": [ { "name": "corp", "display_name": "Corp SSO", "issuer": "%s",
                "client_id": "devicelogin" } ],
              "local_accounts": false }
            """
                .formatted(CORP.issuer()));
    server = TestServer.start(List.of("--config", file.toString()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theSignInPageShowsOnlyTheButtons() {
    Page page = new Browser(server).shown("/login");

    assertThat(page.text()).contains("Sign in with Corp SSO").doesNotContain("Password");
    assertThat(page.body()).doesNotContain("action=\"/login\"");
  }

  @Test
  void aPasswordPostedAnywayIsNotChecked() {
    StoreSnapshot before = StoreSnapshot.of(server);

    // The form is not on the sign-in page; a form of another page carries the CSRF token.
    Page page =
        new Browser(server)
            .submit(
                "/device",
                "/login",
                Map.of(
                    "username",
                    "demo",
                    "password",
                    Secret.of(server.demoPassword).revealForTransmission()));

    assertThat(page.status()).isEqualTo(403);
    assertThat(page.text()).contains("Passwords are not used here");
    StoreSnapshot.of(server).assertUnchangedSince(before);
    assertThat(StoreSnapshot.of(server).auditEventsSince(before))
        .doesNotContain(AuditEvent.Type.SIGNED_IN.name());
  }
}
