package io.devicelogin.cli.terminal;

import java.util.ArrayList;
import java.util.List;

/** Text that came from a server, made safe to put on a terminal, and prose wrapped to fit. */
final class ScreenText {
  private ScreenText() {}

  /**
   * Replaces what could move the cursor, recolour or reorder the screen with {@code �}: C0 and C1
   * controls (ESC among them), DEL, and Unicode format characters (bidirectional overrides that
   * make a URL read differently from what it is, zero-width characters). A server's message, user
   * code and URIs all pass through here.
   */
  static String clean(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            cp -> {
              if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) {
                out.append('\uFFFD');
              } else {
                out.appendCodePoint(cp);
              }
            });
    return out.toString();
  }

  /** A server's free text on one line: line breaks and tabs become spaces, then {@link #clean}. */
  static String oneLine(String text, int maxLength) {
    String flat = clean(text.replaceAll("[\\r\\n\\t]+", " ").strip());
    return flat.length() > maxLength ? flat.substring(0, maxLength - 1) + "…" : flat;
  }

  /**
   * Greedy word wrap: lines of at most {@code width} characters where words allow; a word longer
   * than that (a URL) gets a line of its own and is never broken.
   */
  static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" +")) {
      if (word.isEmpty()) {
        continue;
      }
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }
}
