package io.jasynq.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.TaskOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go text as Asynq readers expect it (wire-format §2.3). */
class GoTextTest {
  @ParameterizedTest
  @CsvSource({
    "PT0S, 0s",
    "PT0.0000005S, 500ns",
    "PT0.0015S, 1.5ms",
    "PT0.5S, 500ms",
    "PT0.000001S, 1\u00b5s",
    "PT1S, 1s",
    "PT2.5S, 2.5s",
    "PT90S, 1m30s",
    "PT1H, 1h0m0s",
    "PT24H, 24h0m0s",
    "PT30M, 30m0s",
    "PT-1M, -1m0s"
  })
  void durationText(Duration d, String text) {
    assertThat(GoText.duration(d)).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource({
    "0, PT0S",
    "1h30m, PT1H30M",
    "1.5h, PT1H30M",
    ".5s, PT0.5S",
    "5.s, PT5S",
    "300ms, PT0.3S",
    "2us, PT0.000002S",
    "-5s, PT-5S",
    "+5s, PT5S",
    "1h0m0s, PT1H"
  })
  void parsesDurations(String text, Duration d) {
    assertThat(GoText.parseDuration(text)).isEqualTo(d);
  }

  @Test
  void rejectsBadDurations() {
    for (String bad : List.of("", "-", "5", "s", ".s", "5 s", "1d", "3000000h")) {
      assertThatThrownBy(() -> GoText.parseDuration(bad), bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("invalid Go duration \"" + bad + "\"");
    }
  }

  @Test
  void optionStringsAsTheGoInspectorParsesThem() {
    Instant t = Instant.parse("2026-01-02T15:04:05Z");
    assertThat(
            OptionStrings.of(
                List.of(
                    TaskOption.queue("crit\"ical"),
                    TaskOption.maxRetry(5),
                    TaskOption.taskId("abc"),
                    TaskOption.timeout(Duration.ofMinutes(30)),
                    TaskOption.deadline(t),
                    TaskOption.unique(Duration.ofHours(1)),
                    TaskOption.unique("order \"7\"", Duration.ofMinutes(90)),
                    TaskOption.debounce("u", Duration.ofSeconds(10), Duration.ofMinutes(1)),
                    TaskOption.processAt(t),
                    TaskOption.processIn(Duration.ofMinutes(10)),
                    TaskOption.retention(Duration.ofHours(24)),
                    TaskOption.group("g1"),
                    TaskOption.header("k<", "v&"))))
        .containsExactly(
            "Queue(\"crit\\\"ical\")",
            "MaxRetry(5)",
            "TaskID(\"abc\")",
            "Timeout(30m0s)",
            "Deadline(Fri Jan  2 15:04:05 UTC 2026)",
            "Unique(1h0m0s)",
            "UniqueKey(\"order \\\"7\\\"\", 1h30m0s)",
            "Debounce(\"u\", 10s, 1m0s)",
            "ProcessAt(Fri Jan  2 15:04:05 UTC 2026)",
            "ProcessIn(10m0s)",
            "Retention(24h0m0s)",
            "Group(\"g1\")",
            "Header([\"k\\u003c\",\"v\\u0026\"])");
    assertThat(GoText.unixDate(Instant.parse("2026-11-22T09:41:08Z")))
        .isEqualTo("Sun Nov 22 09:41:08 UTC 2026");
    assertThat(GoText.quote("a\u00a0b\u00e9")).isEqualTo("\"a\\u00a0b\u00e9\"");
  }
}
