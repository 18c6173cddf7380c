package io.devicelogin.server.testing;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Cleans up the directories tests make in the temporary directory. */
public final class Directories {
  private Directories() {}

  /**
   * Deletes {@code dir} and all it holds, as far as it can; a missing {@code dir} is fine, and so
   * is a file that vanishes meanwhile (an agent removing its own socket as it stops).
   */
  public static void deleteQuietly(Path dir) {
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException e)
                throws IOException {
              Files.deleteIfExists(directory);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      // What is left behind is no test's failure; the report's leftover check finds it.
    }
  }
}
