package io.devicelogin.server.device;

import io.devicelogin.server.config.Defaults;
import java.util.Optional;

/**
 * The {@code device_name} a client sends with its device authorization request (host and OS, such
 * as {@code build-01 (Linux 6.1)}), as the server keeps it: what the person reads on the consent
 * and account pages to tell two sessions apart. It is the client's word, not a fact, and only ever
 * shown escaped.
 */
public final class DeviceName {
  /** Longer names are cut: a host name is at most 253 characters, and the pages need far fewer. */
  public static final int MAX_LENGTH = Defaults.DEVICE_NAME_LENGTH;

  private DeviceName() {}

  /**
   * The name without control and format characters (line breaks, bidirectional overrides,
   * zero-width characters), runs of spaces made one, trimmed and cut to {@link #MAX_LENGTH} code
   * points; empty when nothing readable is left.
   */
  public static Optional<String> clean(String sent) {
    if (sent == null) {
      return Optional.empty();
    }
    StringBuilder out = new StringBuilder();
    int kept = 0;
    boolean space = false;
    for (int i = 0; i < sent.length() && kept < MAX_LENGTH; ) {
      int cp = sent.codePointAt(i);
      i += Character.charCount(cp);
      int type = Character.getType(cp);
      if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
        space = out.length() > 0;
        continue;
      }
      if (type == Character.CONTROL
          || type == Character.FORMAT
          || type == Character.PRIVATE_USE
          || type == Character.SURROGATE
          || type == Character.UNASSIGNED) {
        continue;
      }
      if (space) {
        out.append(' ');
        kept++;
        space = false;
        if (kept >= MAX_LENGTH) {
          break;
        }
      }
      out.appendCodePoint(cp);
      kept++;
    }
    String name = out.toString().strip();
    return name.isEmpty() ? Optional.empty() : Optional.of(name);
  }
}
