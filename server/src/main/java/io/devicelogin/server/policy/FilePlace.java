package io.devicelogin.server.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.devicelogin.client.text.DurationText;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * A place in the configuration file, such as {@code clients.json: client 'x'}: the members of the
 * object there read each as its type, and a message that names the place when one is wrong.
 */
final class FilePlace {
  /** Longer lifetimes are typos, and would overflow the arithmetic of instants. */
  private static final Duration LONGEST = Duration.ofDays(3650);

  private final String prefix;

  FilePlace(String prefix) {
    this.prefix = prefix;
  }

  FilePlace in(String part) {
    return new FilePlace(prefix + ": " + part);
  }

  IllegalArgumentException problem(String what) {
    return new IllegalArgumentException(prefix + ": " + what);
  }

  void onlyKnownMembers(JsonNode object, List<String> known) {
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (known.contains(name)) {
        continue;
      }
      if (name.equals("client_secret")) {
        throw problem(
            "unknown member 'client_secret': the file holds only the secret's SHA-256, as"
                + " client_secret_sha256");
      }
      throw problem("unknown member '" + name + "' (known: " + String.join(", ", known) + ")");
    }
  }

  int count(JsonNode c, String name, int fallback) {
    JsonNode value = c.get(name);
    if (value == null) {
      return fallback;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1) {
      throw problem(name + " must be a whole number from 1 to " + Integer.MAX_VALUE);
    }
    return value.asInt();
  }

  Optional<String> string(JsonNode c, String name) {
    JsonNode value = c.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw problem(name + " must be a string");
    }
    return Optional.of(value.asText());
  }

  boolean bool(JsonNode c, String name, boolean fallback) {
    JsonNode value = c.get(name);
    if (value == null) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw problem(name + " must be true or false");
    }
    return value.asBoolean();
  }

  Duration duration(JsonNode c, String name, Duration fallback) {
    JsonNode value = c.get(name);
    if (value == null) {
      return fallback;
    }
    Optional<Duration> d;
    if (value.isIntegralNumber()) {
      // A JSON number is seconds, a negative one included: it is then out of range, not malformed.
      d =
          value.canConvertToLong()
              ? Optional.of(Duration.ofSeconds(value.asLong()))
              : Optional.empty();
    } else if (value.isTextual()) {
      d = DurationText.parse(value.asText());
    } else {
      d = Optional.empty();
    }
    if (d.isEmpty()) {
      throw problem(
          name
              + " is not a duration: "
              + value
              + " (write it as a number of seconds, or as "
              + DurationText.EXAMPLES
              + ")");
    }
    if (d.get().isNegative() || d.get().isZero() || d.get().compareTo(LONGEST) > 0) {
      throw problem(name + " must be longer than 0 and at most 3650 days");
    }
    return d.get();
  }
}
