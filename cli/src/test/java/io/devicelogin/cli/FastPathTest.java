package io.devicelogin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.devicelogin.cli.startup.FastPath;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/**
 * The command lines that {@link FastPath} runs without picocli give the command object picocli
 * gives, field for field (a new option with a default would show up here); every other command line
 * is left to picocli.
 */
class FastPathTest {
  private static final List<List<String>> PLAIN =
      List.of(
          List.of("status"),
          List.of("status", "--json"),
          List.of("status", "--profile", "work"),
          List.of("status", "--profile=work", "--json"),
          List.of("status", "--json", "--profile", "a.b_c-1"),
          List.of("status", "--profile", "not a valid name"),
          List.of("token"),
          List.of("token", "--reveal"),
          List.of("token", "--scope", "openid"),
          List.of("token", "--scope=openid profile", "--profile", "x", "--reveal"),
          List.of("token", "--profile", "x", "--scope", "a=b c"));

  private static final List<List<String>> FOR_PICOCLI =
      List.of(
          List.of(),
          List.of("login"),
          List.of("--help", "status"),
          List.of("-V"),
          List.of("status", "--help"),
          List.of("status", "-h"),
          List.of("token", "--version"),
          List.of("status", "--json", "--json"),
          List.of("status", "--profile"),
          List.of("status", "--profile", ""),
          List.of("status", "--profile="),
          List.of("status", "--profile", "-x"),
          List.of("status", "--profile=--json"),
          List.of("status", "@args"),
          List.of("status", "--profile", "@p"),
          List.of("status", "extra"),
          List.of("status", "--scope", "a"),
          List.of("status", "--reveal"),
          List.of("status", "--json=true"),
          List.of("status", "--"),
          List.of("token", "--json"),
          List.of("token", "--scope", "a", "--scope", "b"),
          List.of("token", "--profile", "a", "--profile", "b"),
          List.of("token", "--reveal", "--reveal"),
          List.of("token", "-r"));

  private final Main main =
      new Main(new Environment(Map.of(), System.out, System.err, Clock.systemUTC(), false, false));

  @Test
  void plainCommandLinesGiveTheCommandPicocliGives() throws Exception {
    for (List<String> args : PLAIN) {
      Optional<Callable<Integer>> quick =
          FastPath.parse(args.toArray(String[]::new)).map(main::command);
      assertThat(quick).as("%s", args).isPresent();
      CommandLine.ParseResult parsed =
          Main.commandLine(main).parseArgs(args.toArray(String[]::new));
      Object expected = parsed.subcommand().commandSpec().userObject();
      assertSameFields(args, expected, quick.get());
    }
  }

  @Test
  void everyOtherCommandLineIsLeftToPicocli() {
    for (List<String> args : FOR_PICOCLI) {
      assertThat(FastPath.parse(args.toArray(String[]::new))).as("%s", args).isEmpty();
    }
  }

  @Test
  void aFailureIsReportedAsPicocliReportsIt(@TempDir Path home) throws Exception {
    Files.createDirectories(home.resolve("config/devicelogin"));
    Files.writeString(home.resolve("config/devicelogin/profiles.json"), "{ not json");
    Map<String, String> vars =
        Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", home.resolve("config").toString());
    for (List<String> args : List.of(List.of("status"), List.of("token", "--reveal"))) {
      ByteArrayOutputStream quickErr = new ByteArrayOutputStream();
      assertThat(FastPath.parse(args.toArray(String[]::new))).as("%s", args).isPresent();
      int quick = Main.run(args.toArray(String[]::new), environment(vars, quickErr));
      ByteArrayOutputStream picocliErr = new ByteArrayOutputStream();
      int picocli =
          Main.commandLine(new Main(environment(vars, picocliErr)))
              .execute(args.toArray(String[]::new));

      assertThat(quick).as("%s", args).isEqualTo(picocli).isNotZero();
      assertThat(quickErr.toString(StandardCharsets.UTF_8))
          .as("%s", args)
          .isEqualTo(picocliErr.toString(StandardCharsets.UTF_8))
          .startsWith("devicelogin: ");
    }
  }

  private static Environment environment(Map<String, String> vars, ByteArrayOutputStream err) {
    PrintStream stream = new PrintStream(err, true, StandardCharsets.UTF_8);
    return new Environment(vars, stream, stream, Clock.systemUTC(), false, false);
  }

  private void assertSameFields(List<String> args, Object expected, Object actual)
      throws IllegalAccessException {
    assertThat(actual).as("%s", args).hasSameClassAs(expected);
    for (Class<?> type = expected.getClass(); type != Object.class; type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers())) {
          continue;
        }
        field.setAccessible(true);
        Object want = field.get(expected);
        Object got = field.get(actual);
        if (want instanceof Main) {
          assertThat(got).as("%s: %s", args, field.getName()).isSameAs(main).isSameAs(want);
        } else if (field.isAnnotationPresent(Mixin.class)) {
          assertSameFields(args, want, got);
        } else {
          assertThat(got).as("%s: %s", args, field.getName()).isEqualTo(want);
        }
      }
    }
  }
}
