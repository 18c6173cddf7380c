package io.devicelogin.bench.cli;

import io.devicelogin.bench.Section;
import io.devicelogin.cli.CliProcess;
import io.devicelogin.server.web.Person;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Start-up of the command: the wall time of {@code devicelogin status} and {@code devicelogin
 * token} while logged in, each run as a person runs it (the {@code ./devicelogin} launcher, so the
 * same {@code java}, flags and class-data archive), against a trivial Java program ({@link Hello})
 * on the same {@code java} with default flags, in the same run. Every variant runs once per round,
 * in a rotating order ({@link RotatingRounds}), so a machine that gets busier or quieter during the
 * run affects them alike.
 *
 * <p>Before timing, it logs the command in ({@link LoggedInCommand}) to the server jar with {@code
 * --demo} in its own process, approved over HTTP by {@link Person}, and keeps the tokens in the
 * in-memory agent: it needs no desktop and no keyring, and every run of the command finds it
 * without a probe. The command gets a clean environment of its own (home, configuration and runtime
 * directories, {@code PATH}, {@code LANG}), as {@link CliProcess} gives the tests.
 */
public final class CliStartup {
  private CliStartup() {}

  /** {@code devicelogin status} ÷ the trivial program, medians of the last run, for the targets. */
  public static volatile double lastStatusRatio = Double.NaN;

  public static Section run(int repetitions) {
    if (repetitions < 1) {
      throw new IllegalArgumentException("repetitions must be at least 1");
    }
    Checkout checkout = Checkout.built();
    String java = Checkout.javaOnPath();
    String helloClasspath = Checkout.classpathOf(Hello.class);

    try (LoggedInCommand command = new LoggedInCommand(checkout)) {
      command.logIn(java);
      List<String> hello = List.of(java, "-cp", helloClasspath, Hello.class.getName());
      List<Variant> variants = variants(hello, command.launcher(), java, checkout);

      double loadBefore = StartupTable.loadAverage();
      long[][] millis = RotatingRounds.time(command, variants, repetitions);
      double loadAfter = StartupTable.loadAverage();

      String jvm =
          command
              .runChecked(List.of(java, "-cp", helloClasspath, Hello.class.getName(), "--version"))
              .out()
              .trim();
      lastStatusRatio = StartupTable.median(millis[1]) / StartupTable.median(millis[0]);
      StartupTable.Conditions conditions =
          new StartupTable.Conditions(
              jvm, java, checkout.archive, command.store(), loadBefore, loadAfter);
      return new Section(
          "Command start-up", StartupTable.markdown(variants, millis, repetitions, conditions));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * The rows: the trivial program first (the others are divided by it, and {@link #lastStatusRatio}
   * reads the second), then for {@code status} and for {@code token} the launcher, the launcher
   * without the archive, and the jar with no launcher at all.
   */
  private static List<Variant> variants(
      List<String> hello, String launcher, String java, Checkout checkout) {
    Map<String, String> noArchive = Map.of("DEVICELOGIN_CDS", "off");
    List<Variant> variants = new ArrayList<>();
    variants.add(new Variant("`java Hello` (trivial program, default flags)", hello, Map.of()));
    for (String subcommand : List.of("status", "token")) {
      List<String> launched = List.of(launcher, subcommand);
      variants.add(new Variant("`devicelogin " + subcommand + "`", launched, Map.of()));
      variants.add(
          new Variant(
              "`devicelogin " + subcommand + "`, launcher without the archive",
              launched,
              noArchive));
      variants.add(
          new Variant(
              "`java -jar devicelogin.jar " + subcommand + "` (no launcher flags, no archive)",
              List.of(java, "-jar", checkout.jar.toString(), subcommand),
              Map.of()));
    }
    return List.copyOf(variants);
  }

  /**
   * Runs the benchmark alone: {@code CliStartup [repetitions]} (default 20); prints the section's
   * Markdown.
   */
  public static void main(String[] args) {
    int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Section section = run(repetitions);
    System.out.println("## " + section.title());
    System.out.println();
    System.out.print(section.markdown());
    // The HTTP client threads of Person are not daemons everywhere; nothing is left to wait for.
    System.exit(0);
  }
}
