package io.devicelogin.cli.terminal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devicelogin.cli.terminal.TerminalInfo.Size;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class TerminalInfoTest {
  private final AtomicInteger probes = new AtomicInteger();

  private Supplier<Optional<Size>> stty(int rows, int columns) {
    return () -> {
      probes.incrementAndGet();
      return Optional.of(new Size(rows, columns));
    };
  }

  private Supplier<Optional<Size>> sttyFails() {
    return () -> {
      probes.incrementAndGet();
      return Optional.empty();
    };
  }

  @Test
  void aTerminalWithTermGetsEscapesAndItsSizeFromStty() {
    TerminalInfo t =
        TerminalInfo.detect(Map.of("TERM", "xterm-256color"), () -> true, stty(50, 132));
    assertThat(t).isEqualTo(new TerminalInfo(true, 132, 50, true));
    assertThat(probes).hasValue(1);
  }

  @Test
  void columnsAndLinesFromTheEnvironmentWinAndSpareTheProbe() {
    TerminalInfo t =
        TerminalInfo.detect(
            Map.of("TERM", "xterm", "COLUMNS", "100", "LINES", "40"), () -> true, stty(50, 132));
    assertThat(t.columns()).isEqualTo(100);
    assertThat(t.rows()).isEqualTo(40);
    assertThat(probes).hasValue(0);
  }

  @Test
  void columnsFromTheEnvironmentAndRowsFromTheProbe() {
    TerminalInfo t =
        TerminalInfo.detect(Map.of("TERM", "xterm", "COLUMNS", "100"), () -> true, stty(50, 132));
    assertThat(t.columns()).isEqualTo(100);
    assertThat(t.rows()).isEqualTo(50);
  }

  @Test
  void noColorOfAnyValueEvenEmptyForbidsEscapesButNotInteraction() {
    for (String value : new String[] {"", "1", "0", "false"}) {
      TerminalInfo t =
          TerminalInfo.detect(Map.of("TERM", "xterm", "NO_COLOR", value), () -> true, stty(24, 80));
      assertThat(t.interactive()).as("NO_COLOR=%s", value).isTrue();
      assertThat(t.escapes()).as("NO_COLOR=%s", value).isFalse();
    }
  }

  @Test
  void aDumbTerminalIsNotInteractive() {
    TerminalInfo t = TerminalInfo.detect(Map.of("TERM", "dumb"), () -> true, stty(24, 80));
    assertThat(t.interactive()).isFalse();
    assertThat(t.escapes()).isFalse();
  }

  @Test
  void notATerminalMeansNoEscapesNoProbeAndEightyColumns() {
    TerminalInfo t = TerminalInfo.detect(Map.of("TERM", "xterm"), () -> false, stty(50, 132));
    assertThat(t).isEqualTo(TerminalInfo.notATerminal());
    assertThat(t.columns()).isEqualTo(80);
    assertThat(probes).hasValue(0);
  }

  @Test
  void nonsenseInColumnsAndAFailedProbeFallBackToEighty() {
    for (String columns : new String[] {"", "wide", "0", "-5", "12x"}) {
      TerminalInfo t =
          TerminalInfo.detect(Map.of("TERM", "xterm", "COLUMNS", columns), () -> true, sttyFails());
      assertThat(t.columns()).as("COLUMNS=%s", columns).isEqualTo(80);
      assertThat(t.rows()).isZero();
    }
  }

  @Test
  void withoutTermOnlyWindowsTerminalGetsEscapes() {
    assertThat(TerminalInfo.detect(Map.of(), () -> true, sttyFails()).escapes()).isFalse();
    assertThat(TerminalInfo.detect(Map.of(), () -> true, sttyFails()).interactive()).isTrue();
    assertThat(TerminalInfo.detect(Map.of("WT_SESSION", "x"), () -> true, sttyFails()).escapes())
        .isTrue();
  }

  @Test
  void invalidCombinationsAreRefused() {
    assertThatThrownBy(() -> new TerminalInfo(false, 80, 24, true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TerminalInfo(true, 0, 24, true))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void underTheTestRunnerStandardErrorIsNotATerminal() {
    // Surefire sends the forked JVM's stderr into a pipe; on Linux /proc says so exactly.
    if (Files.isSymbolicLink(Path.of("/proc/self/fd/2"))) {
      assertThat(TerminalInfo.stderrIsTerminal()).isFalse();
      assertThat(TerminalInfo.detect().escapes()).isFalse();
    }
  }
}
