package io.jasynq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Human formats, tables, duration flags and the config file subset. */
class FormatsTest {
  private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

  @Test
  void relativeTimesReadLikeSpeech() {
    assertThat(Human.relative(NOW, NOW)).isEqualTo("just now");
    assertThat(Human.relative(NOW.minusSeconds(1), NOW)).isEqualTo("1 second ago");
    assertThat(Human.relative(NOW.minusSeconds(185), NOW)).isEqualTo("3 minutes ago");
    assertThat(Human.relative(NOW.plusSeconds(7200), NOW)).isEqualTo("in 2 hours");
    assertThat(Human.relative(NOW.plusSeconds(3599), NOW)).isEqualTo("in 1 hour");
    assertThat(Human.relative(NOW.plusSeconds(299), NOW)).isEqualTo("in 5 minutes");
    assertThat(Human.relative(NOW.minus(Duration.ofDays(3)), NOW)).isEqualTo("3 days ago");
    assertThat(Human.relative(null, NOW)).isEqualTo("-");
  }

  @Test
  void durationsSizesCountsAndRates() {
    assertThat(Human.duration(Duration.ZERO)).isEqualTo("0s");
    assertThat(Human.duration(Duration.ofMillis(350))).isEqualTo("350ms");
    assertThat(Human.duration(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(Human.duration(Duration.ofSeconds(185))).isEqualTo("3m5s");
    assertThat(Human.duration(Duration.ofMinutes(125))).isEqualTo("2h5m");
    assertThat(Human.bytes(512)).isEqualTo("512 B");
    assertThat(Human.bytes(1536)).isEqualTo("1.5 KB");
    assertThat(Human.bytes(3L << 20)).isEqualTo("3.0 MB");
    assertThat(Human.count(1234567)).isEqualTo("1,234,567");
    assertThat(Human.percent(1, 104)).isEqualTo("1.0%");
    assertThat(Human.percent(0, 0)).isEqualTo("-");
    assertThat(Human.bar(0, 10, 40)).isEmpty();
    assertThat(Human.bar(1, 1000, 40)).isEqualTo("█");
    assertThat(Human.bar(10, 10, 40)).hasSize(40);
  }

  @Test
  void payloadsShowTextOrSayBinary() {
    assertThat(Human.payload("{\"a\":1}\n".getBytes(StandardCharsets.UTF_8), 40))
        .isEqualTo("{\"a\":1} ");
    assertThat(Human.payload("x".repeat(50).getBytes(StandardCharsets.UTF_8), 10))
        .isEqualTo("xxxxxxxxx…");
    assertThat(Human.payload(new byte[] {(byte) 0xff, 0x00}, 40)).isEqualTo("<2 bytes, binary>");
  }

  @Test
  void tablesAlignColumnsAndRightAlignNumbers() {
    StringWriter s = new StringWriter();
    new Table("queue", "size>", "state")
        .row("default", "1,234", "run")
        .row("critical", "5", null)
        .print(new PrintWriter(s, true));
    assertThat(s.toString().lines().toList())
        .containsExactly(
            "queue      size  state",
            "--------  -----  -----",
            "default   1,234  run",
            "critical      5  -");
  }

  @Test
  void goAndIsoDurationsAndRfc3339Times() {
    assertThat(Durations.parse("--timeout", "30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("--timeout", "1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("--timeout", "1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("--timeout", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("--timeout", "PT2M")).isEqualTo(Duration.ofMinutes(2));
    assertThatThrownBy(() -> Durations.parse("--unique", "10"))
        .hasMessage("--unique must be a duration like 30s, 5m or 1h30m, was \"10\"");
    assertThatThrownBy(() -> Durations.parse("--unique", "5 minutes"))
        .isInstanceOf(UsageException.class);
    assertThat(Durations.time("--deadline", "2026-12-02T12:00:00+02:00"))
        .isEqualTo(Instant.parse("2026-12-02T10:00:00Z"));
    assertThatThrownBy(() -> Durations.time("--deadline", "tomorrow"))
        .hasMessageContaining("--deadline must be an RFC 3339 time");
  }

  @Test
  void configFileReadsTheFlatSubset() {
    Path file = Path.of("test.yaml");
    Map<String, String> values =
        ConfigFile.parse(
            file,
            List.of(
                "# comment",
                "uri: 'redis.local:6380'  # trailing comment",
                "db: 2",
                "password: \"p#ss\"",
                "tls: true",
                "cluster_addrs:",
                "  - 10.0.0.1:7000",
                "  - 10.0.0.2:7000",
                "sentinel: [ ]"));
    assertThat(values)
        .containsEntry("uri", "redis.local:6380")
        .containsEntry("db", "2")
        .containsEntry("password", "p#ss")
        .containsEntry("tls", "true")
        .containsEntry("cluster_addrs", "10.0.0.1:7000,10.0.0.2:7000")
        .containsEntry("sentinel", "");
    assertThat(ConfigFile.parse(file, List.of("cluster_addrs: [a:1, \"b:2\"]")))
        .containsEntry("cluster_addrs", "a:1,b:2");
  }

  @Test
  void configFileRejectsWhatItCannotRead() {
    Path file = Path.of("test.yaml");
    assertThatThrownBy(() -> ConfigFile.parse(file, List.of("redis:", "  uri: x")))
        .hasMessage(
            "config file test.yaml line 1: unknown key \"redis\" (known: cluster, cluster_addrs,"
                + " db, insecure, password, sentinel, sentinel_password, tls, tls_ca, tls_server,"
                + " uri, user, username)");
    assertThatThrownBy(() -> ConfigFile.parse(file, List.of("uri: x", "  db: 1")))
        .hasMessage(
            "config file test.yaml line 2: nested values are not supported (flat key: value only)");
    assertThatThrownBy(() -> ConfigFile.parse(file, List.of("uri: x", "uri: y")))
        .hasMessage("config file test.yaml line 2: key \"uri\" given twice");
    assertThatThrownBy(() -> ConfigFile.parse(file, List.of("password: \"abc")))
        .hasMessage("config file test.yaml line 1: unterminated quote");
  }
}
