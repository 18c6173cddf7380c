package io.devicelogin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code device_name} a login sends: host and OS, replaced or turned off by a variable. */
class ThisDeviceTest {
  private static Environment env(Map<String, String> vars) {
    PrintStream sink = new PrintStream(new ByteArrayOutputStream());
    return new Environment(vars, sink, sink, Clock.systemUTC(), false, false);
  }

  @Test
  void theHostNameComesWithTheOperatingSystem() {
    assertThat(ThisDevice.name(env(Map.of("HOSTNAME", "build-01"))))
        .hasValueSatisfying(
            n -> assertThat(n).startsWith("build-01 (").contains(System.getProperty("os.name")));
  }

  @Test
  void theVariableReplacesTheNameAndADashSendsNone() {
    assertThat(ThisDevice.name(env(Map.of(ThisDevice.VARIABLE, "my laptop", "HOSTNAME", "h"))))
        .contains("my laptop");
    assertThat(ThisDevice.name(env(Map.of(ThisDevice.VARIABLE, "-", "HOSTNAME", "h")))).isEmpty();
  }

  @Test
  void theOptionComesBeforeTheVariable() {
    Environment env = env(Map.of(ThisDevice.VARIABLE, "from the variable"));
    assertThat(ThisDevice.name(env, "from the option")).contains("from the option");
    assertThat(ThisDevice.name(env, "-")).isEmpty();
  }
}
