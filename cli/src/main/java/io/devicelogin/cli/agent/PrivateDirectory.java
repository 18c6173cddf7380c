package io.devicelogin.cli.agent;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A directory that only the current user can open: owned by them, mode {@code 0700}, not a symbolic
 * link. Where the agent's socket lives, so that the file system, not the agent, keeps other users
 * out.
 */
public final class PrivateDirectory {
  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

  private PrivateDirectory() {}

  /** Whether this file system has POSIX owners and modes (every Unix; not Windows). */
  static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /** The user id of this process. */
  static int currentUid() {
    return (int) new UnixSystem().getUid();
  }

  /**
   * Creates {@code dir} with mode {@code 0700} if it is missing (its parent must exist), then
   * checks it.
   *
   * @throws UnsafeDirectoryException if it exists but another user owns it, its mode lets anyone
   *     else in, or it is not a plain directory
   */
  public static Path ensure(Path dir) throws IOException {
    if (!posix()) {
      Files.createDirectories(dir);
      return dir;
    }
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      try {
        // Created with its final mode in one step: there is no moment when it is open to others.
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } catch (FileAlreadyExistsException raced) {
        // Someone made it meanwhile; the checks below decide whether it can be trusted.
      }
    }
    verify(dir);
    return dir;
  }

  /** The checks of {@link #ensure}, for a directory that must already exist. */
  static void verify(Path dir) throws IOException {
    if (!posix()) {
      return;
    }
    PosixFileAttributes attributes =
        Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (attributes.isSymbolicLink() || !attributes.isDirectory()) {
      throw new UnsafeDirectoryException(
          dir
              + " is not a directory (a symbolic link or a file is in its place);"
              + " refusing to use it for the agent's socket: remove it");
    }
    int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    int me = currentUid();
    if (owner != me) {
      throw new UnsafeDirectoryException(
          dir
              + " belongs to user id "
              + owner
              + ", not to you ("
              + me
              + "); refusing to put the agent's socket there: remove it, or set XDG_RUNTIME_DIR");
    }
    Set<PosixFilePermission> permissions = attributes.permissions();
    if (!permissions.equals(OWNER_ONLY)) {
      throw new UnsafeDirectoryException(
          dir
              + " has mode "
              + PosixFilePermissions.toString(permissions)
              + ", not rwx------; refusing to put the agent's socket where others may reach it: `chmod 700 "
              + dir
              + "`");
    }
  }

  /** A directory that is there but not private. */
  static final class UnsafeDirectoryException extends IOException {
    private static final long serialVersionUID = 1L;

    UnsafeDirectoryException(String message) {
      super(message);
    }
  }
}
