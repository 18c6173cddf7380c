package io.devicelogin.cli;

import io.devicelogin.cli.startup.CdsTraining;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The entry of the class-data archive's training run ({@link CdsTraining}, started by {@code
 * cli/pom.xml}): the training, with the commands run as {@link Main#run} runs them.
 *
 * <p>Usage: {@code java -cp devicelogin.jar io.devicelogin.cli.CdsTrainingMain DIR}
 */
public final class CdsTrainingMain {
  private CdsTrainingMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: CdsTrainingMain DIR");
      System.exit(ExitCode.USAGE);
    }
    CdsTraining.run(
        Path.of(args[0]).toAbsolutePath(),
        (line, vars, out) ->
            Main.run(line, new Environment(vars, out, out, Clock.systemUTC(), false, false)));
  }
}
