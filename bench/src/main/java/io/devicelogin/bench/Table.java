package io.devicelogin.bench;

import io.devicelogin.bench.load.LoadResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** A Markdown table built row by row, and the formats the results use. */
public final class Table {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  public Table(String... header) {
    this.header = List.of(header);
  }

  public Table row(Object... cells) {
    List<String> row = new ArrayList<>();
    for (Object c : cells) {
      row.add(String.valueOf(c));
    }
    rows.add(row);
    return this;
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  public String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("| ").append(String.join(" | ", header)).append(" |\n");
    out.append("|").append("---|".repeat(header.size())).append('\n');
    for (List<String> row : rows) {
      out.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    return out.toString();
  }

  /** 12,345/s. */
  public static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%,.0f/s", perSecond);
  }

  /** 1.23 ms. */
  public static String ms(double millis) {
    return millis >= 100
        ? String.format(Locale.ROOT, "%,.0f ms", millis)
        : millis >= 10
            ? String.format(Locale.ROOT, "%.1f ms", millis)
            : String.format(Locale.ROOT, "%.2f ms", millis);
  }

  /** 123 MB (binary megabytes). */
  public static String mb(long bytes) {
    return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%,d MB", Math.round(bytes / 1048576.0));
  }

  /** 4.2×. */
  public static String ratio(double r) {
    return String.format(Locale.ROOT, "%.1f×", r);
  }

  /** The answers by kind: {@code authorization_pending 41,000 · slow_down 12}. */
  public static String kinds(LoadResult r) {
    Map<String, Long> kinds = r.kinds();
    String text =
        kinds.entrySet().stream()
            .map(e -> "`" + e.getKey() + "` " + String.format(Locale.ROOT, "%,d", e.getValue()))
            .collect(Collectors.joining(" · "));
    return r.errors() == 0
        ? text
        : text + " · **" + r.errors() + " connection errors** (" + r.firstError() + ")";
  }
}
