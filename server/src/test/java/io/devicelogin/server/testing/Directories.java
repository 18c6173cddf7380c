package io.devicelogin.server.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Cleans up the directories tests make in the temporary directory. */
public final class Directories {
  private Directories() {}

  /** Deletes {@code dir} and all it holds, as far as it can; a missing {@code dir} is fine. */
  public static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // What is left behind is no test's failure; the report's leftover check finds it.
    }
  }
}
