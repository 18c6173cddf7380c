package io.devicelogin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.client.text.DurationText;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code login}'s options, in this JVM: what is checked before any server is asked. */
class LoginCommandTest {
  @TempDir Path home;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int login(String... options) {
    Map<String, String> vars =
        Map.of(
            "HOME", home.toString(),
            "XDG_CONFIG_HOME", home.resolve("config").toString(),
            "XDG_RUNTIME_DIR", home.toString());
    PrintStream stream = new PrintStream(err, true, StandardCharsets.UTF_8);
    Environment env = new Environment(vars, stream, stream, Clock.systemUTC(), false, false);
    List<String> args =
        new ArrayList<>(
            List.of(
                "login", "--issuer", "http://127.0.0.1:9", "--no-browser", "--store", "memory"));
    args.addAll(List.of(options));
    return Main.run(args.toArray(String[]::new), env);
  }

  @Test
  void loginTimeoutTakesTheSameDurationsAsTheConfigFile() {
    for (String form : List.of("90", "90s", "10m", "1h", "1d", "500ms", "PT10M", "2 H")) {
      assertThat(LoginCommand.timeout(form))
          .as(form)
          .isEqualTo(DurationText.parse(form).orElseThrow());
    }
  }

  @Test
  void aTimeoutOfADayIsTakenAndTheLoginGoesOnToTheServer() {
    int exit = login("--timeout", "1d");

    assertThat(exit)
        .as("the server at port 9 cannot be reached: %s", err)
        .isEqualTo(ExitCode.SERVER_UNREACHABLE);
  }

  @Test
  void aTimeoutThatIsNotADurationIsAUsageErrorThatShowsTheFormsThatWork() {
    int exit = login("--timeout", "soon");

    assertThat(exit).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("devicelogin: --timeout is not a duration: \"soon\"")
        .contains(DurationText.EXAMPLES);
  }

  @Test
  void aTimeoutOfZeroIsAUsageError() {
    assertThat(login("--timeout", "0s")).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--timeout must be longer than zero");
  }
}
