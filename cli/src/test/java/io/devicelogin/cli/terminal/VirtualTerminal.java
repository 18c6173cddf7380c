package io.devicelogin.cli.terminal;

import java.util.ArrayList;
import java.util.List;

/**
 * What a person would see of raw terminal output: carriage return moves to the start of the line,
 * {@code ESC [ 2 K} erases the line, other CSI sequences (colours, bold) draw nothing. Enough to
 * check that a countdown stays on one line.
 */
final class VirtualTerminal {
  private VirtualTerminal() {}

  static List<String> lines(String raw) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    int col = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\u001b' && i + 1 < raw.length() && raw.charAt(i + 1) == '[') {
        int j = i + 2;
        while (j < raw.length() && (raw.charAt(j) < '@' || raw.charAt(j) > '~')) {
          j++;
        }
        String params = raw.substring(i + 2, j);
        char fin = j < raw.length() ? raw.charAt(j) : '?';
        if (fin == 'K' && params.equals("2")) {
          line.setLength(0);
        }
        i = j;
      } else if (c == '\r') {
        col = 0;
      } else if (c == '\n') {
        lines.add(line.toString());
        line.setLength(0);
        col = 0;
      } else {
        while (line.length() < col) {
          line.append(' ');
        }
        if (col < line.length()) {
          line.setCharAt(col, c);
        } else {
          line.append(c);
        }
        col++;
      }
    }
    lines.add(line.toString());
    return lines;
  }

  /** The visible text as one string, whitespace collapsed: for sentences that may be wrapped. */
  static String flat(String raw) {
    return String.join(" ", lines(raw)).replaceAll("\\s+", " ");
  }
}
