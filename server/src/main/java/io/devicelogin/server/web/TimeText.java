package io.devicelogin.server.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Times as the pages show them: relative ("40 s ago", "in 15 min") for what a person compares with
 * what they just did, and absolute in UTC (the server cannot know the browser's time zone without
 * script) for the record.
 */
final class TimeText {
  private static final DateTimeFormatter FULL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY_MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private TimeText() {}

  /** {@code 2026-01-01 00:00:40 UTC}; a dash for no time. */
  static String at(Instant t) {
    return t == null ? "—" : FULL.format(t);
  }

  /** "just now", "40 s ago", "3 min ago", "2 h ago", "5 days ago" (rounded down). */
  static String ago(Instant then, Instant now) {
    long s = Math.max(0, Duration.between(then, now).getSeconds());
    if (s < 1) {
      return "just now";
    }
    if (s < 60) {
      return s + " s ago";
    }
    if (s < 3600) {
      return s / 60 + " min ago";
    }
    if (s < 86_400) {
      return s / 3600 + " h ago";
    }
    long days = s / 86_400;
    return days == 1 ? "1 day ago" : days + " days ago";
  }

  /** "in 40 s", "in 15 min", "in 2 h" (rounded up, so that a person never comes back too early). */
  static String in(Instant then, Instant now) {
    long ms = Math.max(0, Duration.between(now, then).toMillis());
    long s = (ms + 999) / 1000;
    if (s < 60) {
      return "in " + s + " s";
    }
    if (s < 3600) {
      return "in " + (s + 59) / 60 + " min";
    }
    return "in " + (s + 3599) / 3600 + " h";
  }

  /**
   * A wall-clock time to come back at, rounded up to the minute: "00:15 UTC", with the date when it
   * is not today's.
   */
  static String clockTime(Instant t, Instant now) {
    Instant up =
        t.truncatedTo(ChronoUnit.MINUTES).equals(t)
            ? t
            : t.truncatedTo(ChronoUnit.MINUTES).plusSeconds(60);
    boolean sameDay =
        up.atZone(ZoneOffset.UTC).toLocalDate().equals(now.atZone(ZoneOffset.UTC).toLocalDate());
    return sameDay ? MINUTE.format(up) : DAY_MINUTE.format(up);
  }
}
