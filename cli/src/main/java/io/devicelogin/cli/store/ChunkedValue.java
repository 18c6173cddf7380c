package io.devicelogin.cli.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A value spread over several store items, for stores that limit an item's size (Windows: 2,560
 * bytes per credential; macOS: 4,096 bytes per {@code security -i} command line). The bytes are
 * base64 (so that no quoting is ever needed), cut into parts; the first part starts with {@code
 * dl1.COUNT.} so that a reader knows how many parts to fetch. Part {@code i > 0} lives under the
 * account {@code NAME#i}.
 */
final class ChunkedValue {
  static final String PREFIX = "dl1.";

  private ChunkedValue() {}

  static List<String> split(byte[] value, int partSize) {
    String encoded = Base64.getEncoder().encodeToString(value);
    int bodySize = partSize - 16; // room for the header in the first part
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < encoded.length() || parts.isEmpty(); i += bodySize) {
      parts.add(encoded.substring(i, Math.min(encoded.length(), i + bodySize)));
    }
    parts.set(0, PREFIX + parts.size() + "." + parts.get(0));
    return parts;
  }

  /** The number of parts the first part announces. */
  static int count(String first) {
    if (!first.startsWith(PREFIX)) {
      throw new UnreadableTokensException("the keyring item is not in devicelogin's format");
    }
    int dot = first.indexOf('.', PREFIX.length());
    try {
      int count =
          Integer.parseInt(first.substring(PREFIX.length(), dot < 0 ? first.length() : dot));
      if (dot < 0 || count < 1 || count > 64) {
        throw new NumberFormatException();
      }
      return count;
    } catch (NumberFormatException e) {
      throw new UnreadableTokensException("the keyring item has a damaged header");
    }
  }

  static byte[] join(List<String> parts) {
    int count = count(parts.get(0));
    if (parts.size() < count) {
      throw new UnreadableTokensException(
          "the keyring item has " + parts.size() + " of its " + count + " parts");
    }
    StringBuilder encoded =
        new StringBuilder(parts.get(0).substring(parts.get(0).indexOf('.', PREFIX.length()) + 1));
    for (int i = 1; i < count; i++) {
      encoded.append(parts.get(i));
    }
    try {
      return Base64.getDecoder()
          .decode(encoded.toString().strip().getBytes(StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new UnreadableTokensException("the keyring item is not valid base64");
    }
  }

  static String partAccount(String account, int index) {
    return index == 0 ? account : account + "#" + index;
  }
}
