package io.jasynq.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The key schema of wire-format §1, including the unique key's nil-versus-empty payload rule. */
class KeysTest {
  @Test
  void perQueueKeysCarryTheClusterHashTag() {
    assertThat(Keys.pending("q")).isEqualTo("asynq:{q}:pending");
    assertThat(Keys.task("q", "id1")).isEqualTo("asynq:{q}:t:id1");
    assertThat(Keys.group("q", "g")).isEqualTo("asynq:{q}:g:g");
    assertThat(Keys.groups("q")).isEqualTo("asynq:{q}:groups");
    assertThat(Keys.processed("q", LocalDate.of(2026, 1, 2)))
        .isEqualTo("asynq:{q}:processed:2026-01-02");
    assertThat(Keys.failed("q", LocalDate.of(2026, 11, 22)))
        .isEqualTo("asynq:{q}:failed:2026-11-22");
    assertThat(Keys.queues()).isEqualTo("asynq:queues");
  }

  @Test
  void uniqueKeyMatchesGoldenAndTellsNullFromEmptyPayload() {
    byte[] payload = "{\"state\":\"pending\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(Keys.unique("dump", "dump:pending", payload))
        .isEqualTo("asynq:{dump}:unique:dump:pending:0c821edc24a104d0197c2f87d2fd9383");
    assertThat(Keys.unique("q", "t", null)).isEqualTo("asynq:{q}:unique:t:");
    assertThat(Keys.unique("q", "t", new byte[0]))
        .isEqualTo("asynq:{q}:unique:t:d41d8cd98f00b204e9800998ecf8427e");
  }
}
