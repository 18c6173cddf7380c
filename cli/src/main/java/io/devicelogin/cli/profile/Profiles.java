package io.devicelogin.cli.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.wire.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The user's login profiles, in {@code $XDG_CONFIG_HOME/devicelogin/profiles.json} (by default
 * {@code ~/.config/devicelogin/profiles.json}). Configuration only (issuer or provider, client id,
 * scopes, token store), never a secret; still private to the user: the directory is {@code 0700}
 * and the file {@code 0600}.
 *
 * <pre>{@code
 * {"v":1,"profiles":{"default":{"issuer":"https://id.example.com","client_id":"cli",
 *                               "scopes":["openid","read"],"store":"keyring"}}}
 * }</pre>
 *
 * Every change is a locked read-modify-write that replaces the file atomically, so two commands at
 * once never leave a half-written file. A damaged file is a {@link ProfilesException} whose message
 * says where and what to do; it is never silently overwritten.
 */
public final class Profiles {
  static final String FILE_NAME = "profiles.json";
  private static final int VERSION = 1;
  private static final Set<PosixFilePermission> DIR_MODE =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-------");

  private final Path directory;

  /** Profiles kept in {@code directory} (which need not exist yet). */
  public Profiles(Path directory) {
    this.directory = directory.toAbsolutePath();
  }

  /**
   * The profiles of the user that {@code env} describes: {@code $XDG_CONFIG_HOME/devicelogin}, or
   * {@code $HOME/.config/devicelogin} when XDG_CONFIG_HOME is unset or not absolute (as the XDG
   * specification says).
   */
  public static Profiles open(Map<String, String> env) {
    String config = env.get("XDG_CONFIG_HOME");
    Path base;
    if (config != null && !config.isBlank() && Path.of(config).isAbsolute()) {
      base = Path.of(config);
    } else {
      String home = env.get("HOME");
      if (home == null || home.isBlank()) {
        home = env.getOrDefault("USERPROFILE", System.getProperty("user.home"));
      }
      base = Path.of(home, ".config");
    }
    return new Profiles(base.resolve("devicelogin"));
  }

  /** The file, for messages. */
  public Path file() {
    return directory.resolve(FILE_NAME);
  }

  /**
   * The profile called {@code name}, if there is one.
   *
   * @throws ProfilesException if the file cannot be read or is damaged
   */
  public Optional<Profile> get(String name) {
    return Optional.ofNullable(read().get(name));
  }

  /**
   * Every profile, by name.
   *
   * @throws ProfilesException if the file cannot be read or is damaged
   */
  public List<Profile> list() {
    return List.copyOf(read().values());
  }

  /**
   * Adds or replaces the profile with {@code profile.name()}.
   *
   * @throws IllegalArgumentException if the name is not a valid profile name
   * @throws ProfilesException if the file cannot be read, is damaged, or cannot be written
   */
  public void put(Profile profile) {
    ProfileNames.check(profile.name());
    update(
        all -> {
          all.put(profile.name(), profile);
          return all;
        });
  }

  /**
   * Removes a profile.
   *
   * @return whether there was one
   * @throws ProfilesException if the file cannot be read, is damaged, or cannot be written
   */
  public boolean remove(String name) {
    boolean[] removed = {false};
    update(
        all -> {
          removed[0] = all.remove(name) != null;
          return all;
        });
    return removed[0];
  }

  private TreeMap<String, Profile> read() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file());
    } catch (NoSuchFileException e) {
      return new TreeMap<>();
    } catch (IOException e) {
      throw new ProfilesException("cannot read " + file() + ": " + e.getMessage(), e);
    }
    return parse(bytes);
  }

  /**
   * Runs {@code work} while no other process or thread runs it for the same profile: a refresh
   * rotates the refresh token, so two commands refreshing one login at once would present the same
   * refresh token twice, and a server that detects reuse revokes the login (RFC 9700 §4.14.2).
   *
   * @throws ProfilesException if the lock file cannot be opened or locked
   */
  public <T> T whileRefreshing(String name, Supplier<T> work) {
    ProfileNames.check(name);
    synchronized (Profiles.class) {
      ensureDirectory();
      Path lockFile = directory.resolve(".refresh-" + name + ".lock");
      try (FileChannel channel =
          FileChannel.open(
              lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), fileMode())) {
        FileLock lock = channel.lock();
        try {
          return work.get();
        } finally {
          lock.release();
        }
      } catch (IOException e) {
        throw new ProfilesException(
            "cannot lock " + lockFile + " to refresh the login: " + e.getMessage(), e);
      }
    }
  }

  private void update(UnaryOperator<TreeMap<String, Profile>> change) {
    // A file lock excludes other processes; within this JVM, threads take turns here first.
    synchronized (Profiles.class) {
      updateLocked(change);
    }
  }

  private void updateLocked(UnaryOperator<TreeMap<String, Profile>> change) {
    ensureDirectory();
    Path lockFile = directory.resolve(".profiles.lock");
    try (FileChannel channel =
        FileChannel.open(
            lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), fileMode())) {
      FileLock lock = channel.lock();
      try {
        write(change.apply(read()));
      } finally {
        lock.release();
      }
    } catch (IOException e) {
      throw new ProfilesException("cannot write " + file() + ": " + e.getMessage(), e);
    }
  }

  private void write(TreeMap<String, Profile> profiles) throws IOException {
    ObjectNode root = Json.newObject();
    root.put("v", VERSION);
    ObjectNode all = root.putObject("profiles");
    profiles.forEach((name, profile) -> all.set(name, toJson(profile)));
    byte[] bytes = Json.writePrettyBytes(root);
    Path temporary = Files.createTempFile(directory, ".profiles-", ".tmp", fileMode());
    try {
      Files.write(temporary, bytes, StandardOpenOption.TRUNCATE_EXISTING);
      Files.write(temporary, "\n".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
      try {
        Files.move(
            temporary, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file(), StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
    if (posix()) {
      Files.setPosixFilePermissions(file(), FILE_MODE);
    }
  }

  private void ensureDirectory() {
    try {
      if (posix()) {
        if (!Files.isDirectory(directory)) {
          Files.createDirectories(directory.getParent());
          if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(DIR_MODE));
          }
        }
        // Tightens a directory made by hand; harmless when it is already right.
        Files.setPosixFilePermissions(directory, DIR_MODE);
      } else {
        Files.createDirectories(directory);
      }
    } catch (IOException e) {
      throw new ProfilesException("cannot create " + directory + ": " + e.getMessage(), e);
    }
  }

  private TreeMap<String, Profile> parse(byte[] bytes) {
    JsonNode root;
    try {
      root = Json.readTree(bytes);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw corrupt("it is not valid JSON" + where);
    } catch (IOException e) {
      throw new ProfilesException("cannot read " + file() + ": " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode()) {
      return new TreeMap<>(); // An empty file: no profiles yet.
    }
    if (!root.isObject()) {
      throw corrupt("it is not a JSON object");
    }
    JsonNode version = root.get("v");
    if (version != null && (!version.isInt() || version.intValue() != VERSION)) {
      throw corrupt(
          "it is in format v"
              + version.asText()
              + ", which this devicelogin (v"
              + VERSION
              + ") cannot read");
    }
    JsonNode all = root.get("profiles");
    TreeMap<String, Profile> profiles = new TreeMap<>();
    if (all == null || all.isNull()) {
      return profiles;
    }
    if (!all.isObject()) {
      throw corrupt("`profiles` is not an object");
    }
    for (Map.Entry<String, JsonNode> entry : all.properties()) {
      profiles.put(entry.getKey(), fromJson(entry.getKey(), entry.getValue()));
    }
    return profiles;
  }

  private Profile fromJson(String name, JsonNode json) {
    if (!ProfileNames.isValid(name)) {
      throw corrupt("it has a profile with an invalid name");
    }
    if (!json.isObject()) {
      throw corrupt("profile " + name + " is not an object");
    }
    Optional<String> clientId = text(name, json, "client_id");
    if (clientId.isEmpty()) {
      throw corrupt("profile " + name + " has no client_id");
    }
    List<String> scopes = new ArrayList<>();
    JsonNode list = json.get("scopes");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        throw corrupt("the scopes of profile " + name + " are not a list");
      }
      for (JsonNode scope : list) {
        if (!scope.isTextual()) {
          throw corrupt("a scope of profile " + name + " is not a string");
        }
        scopes.add(scope.textValue());
      }
    }
    return new Profile(
        name,
        text(name, json, "issuer"),
        text(name, json, "provider"),
        clientId.get(),
        scopes,
        text(name, json, "store"));
  }

  private Optional<String> text(String name, JsonNode json, String member) {
    JsonNode value = json.get(member);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw corrupt("`" + member + "` of profile " + name + " is not a string");
    }
    return Optional.of(value.textValue());
  }

  private static ObjectNode toJson(Profile profile) {
    ObjectNode json = Json.newObject();
    profile.issuer().ifPresent(v -> json.put("issuer", v));
    profile.provider().ifPresent(v -> json.put("provider", v));
    json.put("client_id", profile.clientId());
    ArrayNode scopes = json.putArray("scopes");
    profile.scopes().forEach(scopes::add);
    profile.store().ifPresent(v -> json.put("store", v));
    return json;
  }

  private ProfilesException corrupt(String what) {
    return new ProfilesException(
        file()
            + " is damaged: "
            + what
            + ". Fix it by hand, or delete it and log in again (it holds configuration only, no tokens).");
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<?>[] fileMode() {
    return posix()
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)}
        : new FileAttribute<?>[0];
  }
}
