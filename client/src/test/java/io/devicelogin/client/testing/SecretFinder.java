package io.devicelogin.client.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds secrets in text, whole or in part, and says where without repeating them. A part is any run
 * of {@value #FRAGMENT} characters of a secret: a log that dumps buffers (Jetty at DEBUG does) cuts
 * a form body or a header anywhere, so a token can show up split across two lines or cut short, and
 * sixteen characters of a random value are no coincidence.
 *
 * <p>Texts can be large (a server's log at TRACE runs to tens of megabytes), so every window of
 * every secret is indexed by a rolling hash, and the text is read once.
 */
public final class SecretFinder {
  /** The shortest piece of a secret that counts as a leak of it. */
  public static final int FRAGMENT = 16;

  private static final long BASE = 1_000_003L;
  private static final long TOP = power(BASE, FRAGMENT - 1);

  private final List<String> secrets = new ArrayList<>();
  private final List<String> labels = new ArrayList<>();

  /** Secrets shorter than a fragment, looked for whole. */
  private final List<Integer> shortOnes = new ArrayList<>();

  /** Rolling hash of a window → (secret index, offset) pairs. */
  private final Map<Long, List<int[]>> windows = new HashMap<>();

  /**
   * @param labelled each secret with what it is ("refresh token"), which a finding names instead of
   *     it
   */
  public SecretFinder(Map<String, String> labelled) {
    labelled.forEach(
        (secret, label) -> {
          if (secret == null || secret.isEmpty()) {
            return;
          }
          int index = secrets.size();
          secrets.add(secret);
          labels.add(label);
          if (secret.length() < FRAGMENT) {
            shortOnes.add(index);
          }
          for (int offset = 0; offset + FRAGMENT <= secret.length(); offset++) {
            windows
                .computeIfAbsent(hash(secret, offset), h -> new ArrayList<>(1))
                .add(new int[] {index, offset});
          }
        });
  }

  /** Every secret of {@link IssuedSecrets}, labelled by its first characters only. */
  public static SecretFinder ofIssued() {
    return of(IssuedSecrets.all());
  }

  public static SecretFinder of(Set<String> secrets) {
    Map<String, String> labelled = new LinkedHashMap<>();
    for (String s : secrets) {
      labelled.put(s, "a secret starting " + s.substring(0, Math.min(4, s.length())) + "…");
    }
    return new SecretFinder(labelled);
  }

  public int size() {
    return secrets.size();
  }

  /**
   * Where a secret, or a piece of one, shows in {@code text}: at most one finding per secret and
   * line.
   *
   * @param line 1-based; {@code column} 0-based, of the first piece found on that line
   * @param whole whether the whole secret is on that line, not only a piece
   */
  public record Finding(String label, int line, int column, boolean whole) {
    /** What a failure message may say: which secret by its label, and where, never the text. */
    public String describe() {
      return (whole ? "" : "a " + FRAGMENT + "+ character piece of ")
          + label
          + " at line "
          + line
          + ", column "
          + column;
    }
  }

  public List<Finding> findIn(String text) {
    List<Finding> found = new ArrayList<>();
    int lineNumber = 1;
    int lineStart = 0;
    Set<Integer> seenOnLine = new HashSet<>();
    long h = 0;
    int run = 0; // characters hashed since the last line break
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        checkShort(text, lineStart, i, lineNumber, seenOnLine, found);
        lineNumber++;
        lineStart = i + 1;
        seenOnLine.clear();
        h = 0;
        run = 0;
        continue;
      }
      if (run >= FRAGMENT) {
        h -= text.charAt(i - FRAGMENT) * TOP;
      }
      h = h * BASE + c;
      run++;
      if (run >= FRAGMENT) {
        List<int[]> candidates = windows.get(h);
        if (candidates != null) {
          int start = i - FRAGMENT + 1;
          for (int[] candidate : candidates) {
            int index = candidate[0];
            String secret = secrets.get(index);
            if (!seenOnLine.contains(index)
                && text.regionMatches(start, secret, candidate[1], FRAGMENT)) {
              seenOnLine.add(index);
              int end = text.indexOf('\n', start);
              String line = text.substring(lineStart, end < 0 ? text.length() : end);
              found.add(
                  new Finding(
                      labels.get(index), lineNumber, start - lineStart, line.contains(secret)));
            }
          }
        }
      }
    }
    checkShort(text, lineStart, text.length(), lineNumber, seenOnLine, found);
    return found;
  }

  /** Secrets too short to have a window are looked for whole. */
  private void checkShort(
      String text, int from, int to, int lineNumber, Set<Integer> seen, List<Finding> found) {
    if (shortOnes.isEmpty()) {
      return;
    }
    String line = text.substring(from, to);
    for (int index : shortOnes) {
      int at = line.indexOf(secrets.get(index));
      if (at >= 0 && !seen.contains(index)) {
        found.add(new Finding(labels.get(index), lineNumber, at, true));
      }
    }
  }

  private static long hash(String s, int offset) {
    long h = 0;
    for (int i = offset; i < offset + FRAGMENT; i++) {
      h = h * BASE + s.charAt(i);
    }
    return h;
  }

  private static long power(long base, int exponent) {
    long p = 1;
    for (int i = 0; i < exponent; i++) {
      p *= base;
    }
    return p;
  }
}
