package io.devicelogin.server.startup;

import java.io.IOException;
import java.net.BindException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns what went wrong during the start into the one line the person reads: what could not be
 * done, and why in words, without a stack trace. The JDK's and the drivers' messages are often just
 * a path or several lines; these say what to do.
 */
public final class StartupFailures {
  /** What the file system's exceptions mean for a directory that cannot be made. */
  private static final List<Map.Entry<Class<? extends IOException>, String>> DIRECTORY_REASONS =
      List.of(
          Map.entry(AccessDeniedException.class, "permission denied"),
          Map.entry(FileAlreadyExistsException.class, "a file of that name is in the way"),
          Map.entry(NoSuchFileException.class, "it cannot be created there"));

  private StartupFailures() {}

  /**
   * The configuration file could not be used; its reader's message names the file and the fault.
   */
  public static StartupException configuration(IllegalArgumentException e) {
    return new StartupException(e.getMessage(), e);
  }

  /** The database of {@code --db-url} could not be opened. */
  public static StartupException database(String url, RuntimeException e) {
    // Only the part before the parameters is shown: those may name the user.
    String shown = url.split("[?;]", 2)[0];
    return new StartupException("cannot open the database " + shown + ": " + databaseReason(e), e);
  }

  /** The data directory could not be made. */
  public static StartupException dataDirectory(Path dir, IOException e) {
    return new StartupException(
        "cannot create the data directory " + dir + ": " + directoryReason(e), e);
  }

  /** The data directory or its database files could not be made private to their owner. */
  public static StartupException dataDirectoryPermissions(Path dir, IOException e) {
    return new StartupException(
        "cannot make the data directory " + dir + " private: " + directoryReason(e), e);
  }

  /**
   * Group or others may use the data directory, which holds the signing key: whoever copies the
   * database can sign tokens. The message gives the command that fixes it.
   */
  public static StartupException dataDirectoryNotPrivate(Path dir, String permissions) {
    return new StartupException(
        "the data directory "
            + dir
            + " can be used by other users of this machine ("
            + permissions
            + "), and it holds the server's signing key; make it private to its owner with:"
            + " chmod -R go-rwx "
            + dir,
        null);
  }

  /** The H2 database in the data directory could not be opened. */
  public static StartupException databaseIn(Path dir, RuntimeException e) {
    String reason = databaseReason(e);
    if (reason.contains("already in use")) {
      return new StartupException(
          "the data directory "
              + dir
              + " is in use by another process (another devicelogin server?)",
          e);
    }
    return new StartupException("cannot open the database in " + dir + ": " + reason, e);
  }

  /** Jetty could not listen on {@code host} port {@code port}. */
  public static StartupException cannotListen(String host, int port, RuntimeException e) {
    String reason =
        cause(e, BindException.class)
            .map(Throwable::getMessage)
            .orElse("")
            .toLowerCase(Locale.ROOT);
    String message;
    if (reason.contains("in use")) {
      message =
          "port " + port + " is in use; stop what listens there or choose another with --port";
    } else if (reason.contains("permission denied")) {
      message =
          "no permission to listen on port "
              + port
              + " (ports below 1024 need privileges); choose another with --port";
    } else if (reason.contains("assign requested address")) {
      message =
          "cannot listen on "
              + host
              + ": it is not an address of this machine (--host 0.0.0.0 listens on all of them)";
    } else if (cause(e, UnresolvedAddressException.class).isPresent()) {
      message = "cannot listen on " + host + ": no such host";
    } else {
      message = "cannot listen on " + host + " port " + port + ": " + firstLine(deepest(e));
    }
    return new StartupException(message, e);
  }

  /** Why a directory could not be made, in words. */
  private static String directoryReason(IOException e) {
    for (Map.Entry<Class<? extends IOException>, String> reason : DIRECTORY_REASONS) {
      if (reason.getKey().isInstance(e)) {
        return reason.getValue();
      }
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return firstLine(e);
  }

  /** The driver's own words: the first SQL exception's message, else the deepest cause's. */
  private static String databaseReason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException && t.getMessage() != null) {
        return firstLine(t);
      }
    }
    return firstLine(deepest(e));
  }

  private static <T extends Throwable> Optional<T> cause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return Optional.of(type.cast(t));
      }
    }
    return Optional.empty();
  }

  private static Throwable deepest(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private static String firstLine(Throwable t) {
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
    m = m.split("\\R", 2)[0];
    return m.length() <= 300 ? m : m.substring(0, 300) + "…";
  }
}
