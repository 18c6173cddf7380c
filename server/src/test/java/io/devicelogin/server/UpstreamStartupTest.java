package io.devicelogin.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An upstream's client secret that is not where the file says stops the start in one line. */
class UpstreamStartupTest {
  /** No environment has this variable. */
  private static final String UNSET = "DEVICELOGIN_TEST_UNSET_UPSTREAM_SECRET";

  @TempDir Path dir;

  @Test
  void aClientSecretMissingFromTheEnvironmentIsOneLineAndExitOne() throws IOException {
    assertThat(System.getenv(UNSET)).isNull();
    Path file =
        Files.writeString(
            dir.resolve("config.json"),
            """
            { "upstreams": [ { "name": "corp", "issuer": "https://login.corp.example",
                "client_id": "devicelogin", "client_secret_env": "%s" } ] }
            """
                .formatted(UNSET));
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code =
        ServerMain.run(
            List.of(
                "--port",
                "0",
                "--data-dir",
                dir.resolve("data").toString(),
                "--config",
                file.toString()),
            Map.of(),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8).lines())
        .singleElement()
        .asString()
        .isEqualTo(
            "devicelogin-server: "
                + file
                + ": upstreams[0]: upstream 'corp': the environment variable "
                + UNSET
                + " (client_secret_env) is not set; it must hold the client secret");
  }
}
