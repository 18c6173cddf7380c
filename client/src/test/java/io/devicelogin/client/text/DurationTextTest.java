package io.devicelogin.client.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {
  @ParameterizedTest
  @CsvSource({
    "90, PT1M30S",
    "90s, PT1M30S",
    "10m, PT10M",
    "8h, PT8H",
    "1d, PT24H",
    "30D, PT720H",
    "500ms, PT0.5S",
    "' 2 h ', PT2H",
    "PT10M, PT10M",
    "p1d, PT24H"
  })
  void everyFormAPersonWritesMeansTheSameEverywhere(String text, String iso) {
    assertThat(DurationText.parse(text)).contains(Duration.parse(iso));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "m", "1w", "1.5h", "-5s", "ten minutes", "9999999999999s"})
  void anythingElseIsNoDuration(String text) {
    assertThat(DurationText.parse(text)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "0s", "PT0S", "PT-1S"})
  void aPositiveDurationRefusesZeroAndLessNamingTheValue(String text) {
    assertThatThrownBy(() -> DurationText.parsePositive("--timeout", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--timeout");
  }

  @ParameterizedTest
  @ValueSource(strings = {"soon", "1w"})
  void aMessageAboutABadDurationShowsTheFormsThatWork(String text) {
    assertThatThrownBy(() -> DurationText.parsePositive("idle_timeout", text))
        .hasMessageContaining("idle_timeout")
        .hasMessageContaining(text)
        .hasMessageContaining("10m");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1ms", "90s", "8h", "P3650D", "PT1H0.001S"})
  void whatFormatWritesParseReadsBack(String text) {
    Duration d = DurationText.parse(text).orElseThrow();
    assertThat(DurationText.parse(DurationText.format(d))).contains(d);
  }
}
