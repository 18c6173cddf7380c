package io.devicelogin.cli.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devicelogin.client.TokenSet;
import io.devicelogin.client.testing.NoSecretsInOutput;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The exact command line and scripts of the Windows Credential Manager back-end, which cannot run
 * here.
 */
@ExtendWith(NoSecretsInOutput.class)
class WindowsCredentialCommandsTest {
  private static final Map<String, String> ENV = Map.of("SystemRoot", "C:\\Windows");
  private static final List<String> POWERSHELL =
      List.of(
          "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
          "-NoProfile",
          "-NonInteractive",
          "-Command",
          "-");

  @Test
  void savingRunsPowerShellWithTheScriptAndValueOnStdinOnly() {
    RecordingRunner runner =
        new RecordingRunner().then(call -> RecordingRunner.ok("DLRESULT OK\r\n"));
    KeyringStore store = KeyringStore.forOs("Windows 11", ENV, runner, Duration.ofSeconds(5));
    TokenSet tokens = TestTokens.full();

    store.save("work", tokens);

    assertThat(runner.calls).hasSize(1);
    RecordingRunner.Call call = runner.calls.get(0);
    assertThat(call.command()).isEqualTo(POWERSHELL);
    String[] lines = call.stdin().split("\n");
    assertThat(lines[0]).isEqualTo("$ErrorActionPreference = 'Stop'");
    assertThat(lines[1])
        .isEqualTo(WindowsCredentialBackend.HELPER)
        .contains("CredWriteW", "CredReadW", "CredDeleteW");
    assertThat(lines[2])
        .matches(
            "\\$e = \\[DeviceLoginCred\\]::Write\\('devicelogin:work', 'work', 'dl1\\.1\\.[A-Za-z0-9+/=]+'\\);"
                + " if \\(\\$e -ne 0\\) \\{ 'DLRESULT ERROR ' \\+ \\$e; exit 1 \\}");
    assertThat(lines[3])
        .isEqualTo(
            "$i = 1; while ([DeviceLoginCred]::Delete('devicelogin:work#' + $i) -eq 0) { $i++ }");
    assertThat(lines[4]).isEqualTo("'DLRESULT OK'");
    assertThat(lines[5]).isEqualTo("exit 0");
    // The helper's C# is one single-quoted PowerShell string: it may hold no other single quote.
    assertThat(WindowsCredentialBackend.HELPER.chars().filter(c -> c == '\'').count()).isEqualTo(2);
    for (String value : TestTokens.values(tokens)) {
      assertThat(runner.allArguments()).doesNotContain(value);
    }
  }

  @Test
  void readingJoinsThePartsTheScriptPrints() {
    // Capture what a save would write, then serve it back the way the read script prints it.
    RecordingRunner writer =
        new RecordingRunner().then(call -> RecordingRunner.ok("DLRESULT OK\n"));
    TokenSet big = TestTokens.large(5000);
    KeyringStore.forOs("Windows 10", ENV, writer, Duration.ofSeconds(5)).save("big", big);
    Matcher m =
        Pattern.compile("::Write\\('([^']+)', 'big', '([^']+)'\\)")
            .matcher(writer.calls.get(0).stdin());
    StringBuilder printed = new StringBuilder();
    int parts = 0;
    while (m.find()) {
      assertThat(m.group(2).length()).isLessThanOrEqualTo(WindowsCredentialBackend.PART_SIZE);
      assertThat(m.group(1)).isEqualTo(parts == 0 ? "devicelogin:big" : "devicelogin:big#" + parts);
      printed.append("DLPART ").append(m.group(2)).append("\r\n");
      parts++;
    }
    assertThat(parts).isEqualTo(3);
    RecordingRunner reader =
        new RecordingRunner().then(call -> RecordingRunner.ok(printed + "DLRESULT OK\r\n"));

    TestTokens.assertSame(
        KeyringStore.forOs("Windows 10", ENV, reader, Duration.ofSeconds(5))
            .load("big")
            .orElseThrow(),
        big);
    String script = reader.calls.get(0).stdin();
    assertThat(script)
        .contains(
            "$v = [DeviceLoginCred]::Read('devicelogin:big'); if ($null -eq $v) { 'DLRESULT MISSING'; exit 0 }; 'DLPART ' + $v\n");
    assertThat(script).contains("[DeviceLoginCred]::Read('devicelogin:big#' + $i)");
  }

  @Test
  void aMissingCredentialIsEmptyAndDeleteToleratesIt() {
    RecordingRunner runner =
        new RecordingRunner()
            .then(call -> RecordingRunner.ok("DLRESULT MISSING\r\n"))
            .then(call -> RecordingRunner.ok("DLRESULT OK\r\n"));
    KeyringStore store = KeyringStore.forOs("Windows 10", ENV, runner, Duration.ofSeconds(5));
    assertThat(store.load("absent")).isEmpty();
    store.delete("absent");
    assertThat(runner.calls.get(1).stdin())
        .contains(
            "$e = [DeviceLoginCred]::Delete('devicelogin:absent'); if ($e -ne 0 -and $e -ne 1168) { 'DLRESULT ERROR ' + $e; exit 1 }");
  }

  @Test
  void failuresAreUnavailableWithTheReason() {
    RecordingRunner errorCode =
        new RecordingRunner().then(call -> RecordingRunner.ok("DLRESULT ERROR 1312\r\n"));
    assertThatThrownBy(
            () ->
                KeyringStore.forOs("Windows 10", ENV, errorCode, Duration.ofSeconds(5))
                    .save("w", TestTokens.minimal()))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("Win32 error 1312");

    RecordingRunner broken =
        new RecordingRunner()
            .then(
                call ->
                    new CommandRunner.Result(
                        1,
                        new byte[0],
                        "Add-Type : Cannot add type. Compilation errors occurred.\r\n"));
    assertThatThrownBy(
            () -> KeyringStore.forOs("Windows 10", ENV, broken, Duration.ofSeconds(5)).load("w"))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("Cannot add type");
  }
}
