package io.devicelogin.cli.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.cli.Main;
import io.devicelogin.cli.store.TokenStores;
import io.devicelogin.client.testing.NoSecretsInOutput;
import io.devicelogin.server.testing.TestServer;
import io.devicelogin.server.web.Person;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code devicelogin login} in a terminal (tmux) against a real server, as a person sees
 * it: the prompt, the QR code, the countdown; approval through the pages; and Ctrl-C.
 */
@ExtendWith(NoSecretsInOutput.class)
class LoginCommandTmuxTest {
  private static final Pattern CODE = Pattern.compile("Code  ([A-Z]{4}-[A-Z]{4})");
  private static final Pattern COUNTDOWN = Pattern.compile("code expires in (\\d+:\\d\\d)");
  private final Tmux tmux = new Tmux("devicelogin-login");
  private TestServer server;
  @TempDir Path home;

  @BeforeEach
  void setUp() throws Exception {
    Tmux.requireOrSkip();
    server = TestServer.start();
    Files.createDirectory(
        home.resolve("run"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  @AfterEach
  void tearDown() throws Exception {
    tmux.close();
    TokenStores.stopAgent(
        Map.of("XDG_RUNTIME_DIR", home.resolve("run").toString(), "HOME", home.toString()));
    server.close();
  }

  private String command(String... args) throws Exception {
    return Tmux.javaLine(
        home,
        "-u DISPLAY -u WAYLAND_DISPLAY HOME="
            + Tmux.quote(home.toString())
            + " XDG_CONFIG_HOME="
            + Tmux.quote(home.resolve("config").toString())
            + " XDG_RUNTIME_DIR="
            + Tmux.quote(home.resolve("run").toString())
            + " ",
        Main.class.getName(),
        args);
  }

  @Test
  void aPersonSeesTheCodeQrCodeAndCountdownThenApproves() throws Exception {
    tmux.start(command("login", "--issuer", server.issuer(), "--store", "memory"));

    String screen =
        tmux.waitFor(s -> COUNTDOWN.matcher(s).find(), Duration.ofSeconds(60), "the countdown");
    assertThat(screen)
        .contains("Open  " + server.issuer() + "/device")
        .contains("?user_code=")
        .contains("█▀")
        .contains("Continue only if you started this sign-in yourself");
    assertThat(screen)
        .as("no display: the link is printed, not opened")
        .doesNotContain("Opened the page");
    Matcher code = CODE.matcher(screen);
    assertThat(code.find()).isTrue();
    String first = countdown(screen);
    tmux.waitFor(s -> !countdown(s).equals(first), Duration.ofSeconds(10), "the countdown to move");

    Person.demo(server).approve(code.group(1));

    String done =
        tmux.waitFor(s -> s.contains("exit status"), Duration.ofSeconds(60), "the login to finish");
    assertThat(done).contains("Logged in as demo").contains("exit status 0");
    assertThat(COUNTDOWN.matcher(done).find()).as("the countdown line is erased").isFalse();
  }

  @Test
  void ctrlCCancelsCleanlyWithExitStatus130() throws Exception {
    tmux.start(command("login", "--issuer", server.issuer(), "--store", "memory", "--no-browser"));
    tmux.waitFor(s -> COUNTDOWN.matcher(s).find(), Duration.ofSeconds(60), "the countdown");

    tmux.keys("C-c");

    String last =
        tmux.waitFor(s -> s.contains("exit status"), Duration.ofSeconds(30), "the process to exit");
    assertThat(last).contains("cancelled").contains("exit status 130");
    assertThat(last).doesNotContain("Exception").doesNotContain("\tat ");
  }

  private static String countdown(String screen) {
    Matcher m = COUNTDOWN.matcher(screen);
    return m.find() ? m.group(1) : "";
  }
}
