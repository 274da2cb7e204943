package io.jasynq.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextFormatTest {
  @Test
  void escapesLabelValuesAndHelpAsTheFormatSays() {
    StringBuilder text = new StringBuilder();
    new TextFormat(text)
        .family("m", "a \\ b\nc \"d\"", "gauge")
        .sample("m", "1", "queue", "q\\1\n\"x\"", "state", "ok")
        .sample("m", "2", "queue", "plain,{}=", "state", "é");

    assertThat(text.toString())
        .isEqualTo(
            "# HELP m a \\\\ b\\nc \"d\"\n"
                + "# TYPE m gauge\n"
                + "m{queue=\"q\\\\1\\n\\\"x\\\"\",state=\"ok\"} 1\n"
                + "m{queue=\"plain,{}=\",state=\"é\"} 2\n");
    PromText.Family m = PromText.parse(text.toString()).get("m");
    assertThat(m.help()).isEqualTo("a \\ b\nc \"d\"");
    assertThat(m.value("queue", "q\\1\n\"x\"", "state", "ok")).isEqualTo(1);
    assertThat(m.value("queue", "plain,{}=", "state", "é")).isEqualTo(2);
  }

  @Test
  void writesSecondsExactlyWithoutExponents() {
    assertThat(TextFormat.seconds(Duration.ZERO)).isEqualTo("0");
    assertThat(TextFormat.seconds(Duration.ofSeconds(42))).isEqualTo("42");
    assertThat(TextFormat.seconds(Duration.ofMillis(1500))).isEqualTo("1.5");
    assertThat(TextFormat.seconds(Duration.ofNanos(1))).isEqualTo("0.000000001");
    assertThat(TextFormat.seconds(Duration.ofMillis(-500))).isEqualTo("-0.5");
    assertThat(TextFormat.seconds(Duration.ofSeconds(Long.MAX_VALUE)))
        .isEqualTo(Long.toString(Long.MAX_VALUE));
  }

  @Test
  void theTestParserRejectsWhatPrometheusRejects() {
    for (String bad :
        Map.of(
                "bad escape", "m{q=\"a\\tb\"} 1\n",
                "type after samples", "m 1\n# TYPE m gauge\n",
                "type twice", "# TYPE m gauge\n# TYPE m gauge\n",
                "split family", "a 1\nb 1\na{x=\"1\"} 2\n",
                "same series twice", "m{q=\"a\"} 1\nm{q=\"a\"} 2\n",
                "bad name", "1m 1\n",
                "bad value", "m one\n",
                "no final line feed", "m 1")
            .values()) {
      assertThatThrownBy(() -> PromText.parse(bad)).as(bad).isInstanceOf(AssertionError.class);
    }
    assertThat(PromText.parse("# TYPE m counter\nm{a=\"1\",} +Inf 123\n").get("m").value("a", "1"))
        .isInfinite();
  }
}
