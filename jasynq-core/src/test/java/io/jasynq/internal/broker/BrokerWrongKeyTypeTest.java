package io.jasynq.internal.broker;

import static io.jasynq.TaskOption.queue;
import static io.jasynq.internal.broker.BrokerFixture.DAY;
import static io.jasynq.internal.broker.BrokerFixture.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.BatchResult;
import io.jasynq.JasynqException;
import io.jasynq.Task;
import io.jasynq.internal.broker.proto.TaskMessage;
import io.jasynq.support.LogCapture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keys of the wrong Redis type, the cases a reader looks for first (ScriptKeyTypesTest runs the
 * whole key × type matrix): a broken side key never keeps a task from moving, and a broken key a
 * task must go into refuses the write with the key's name and nothing written.
 */
@BrokerTest
class BrokerWrongKeyTypeTest {
  private final BrokerFixture f;

  BrokerWrongKeyTypeTest(BrokerFixture f) {
    this.f = f;
  }

  @Test
  void retryMovesTheTaskPastBrokenCountersAndWarnsOncePerKey() {
    String daily = "asynq:{q}:processed:" + DAY;
    f.redis.commands().set(daily, "not a number".getBytes());
    f.redis.commands().hset("asynq:{q}:failed", "f", "v".getBytes());
    TaskMessage first = f.active(Task.of("t"), queue("q"));

    try (LogCapture logs = LogCapture.start()) {
      f.await(f.broker.outcomes().retry(first, NOW, NOW.plusSeconds(60), "boom", true));
      TaskMessage second = f.active(Task.of("t"), queue("q"));
      f.await(f.broker.outcomes().retry(second, NOW, NOW.plusSeconds(60), "boom", true));

      assertThat(f.redis.lrange("asynq:{q}:active")).isEmpty();
      assertThat(f.redis.zrangeWithScores("asynq:{q}:retry"))
          .containsOnlyKeys(first.getId(), second.getId());
      assertThat(f.redis.get(daily)).isEqualTo("not a number");
      assertThat(f.redis.type("asynq:{q}:failed")).isEqualTo("hash");
      assertThat(f.redis.get("asynq:{q}:failed:" + DAY)).isEqualTo("2"); // the sound ones count
      assertThat(f.redis.get("asynq:{q}:processed")).isEqualTo("2");
      List<String> warnings = logs.warningsAndErrors();
      assertThat(warnings).filteredOn(w -> w.contains(daily)).hasSize(1);
      assertThat(warnings).filteredOn(w -> w.contains("\"asynq:{q}:failed\"")).hasSize(1);
    }
  }

  @Test
  void retryIntoARetrySetOfAnotherTypeFailsNamingItAndWritesNothing() {
    TaskMessage msg = f.active(Task.of("t"), queue("q"));
    f.redis.commands().set("asynq:{q}:retry", "x".getBytes());
    Map<String, String> before = f.snapshot();

    assertThatThrownBy(
            () -> f.await(f.broker.outcomes().retry(msg, NOW, NOW.plusSeconds(1), "e", true)))
        .isInstanceOfSatisfying(
            WrongKeyTypeException.class,
            e -> {
              assertThat(e.key()).isEqualTo("asynq:{q}:retry");
              assertThat(e.actualType()).isEqualTo("string");
              assertThat(e.expected()).isEqualTo("zset");
            })
        .hasMessage(
            "retry failed: key \"asynq:{q}:retry\" holds a string where a zset is expected;"
                + " nothing was written");
    assertThat(f.snapshot()).isEqualTo(before);
  }

  @Test
  void enqueueIntoAPendingListOfAnotherTypeFailsNamingItAndWritesNothing() {
    f.redis.commands().sadd("asynq:queues", "q".getBytes());
    f.redis.commands().hset("asynq:{q}:pending", "f", "v".getBytes());
    Map<String, String> before = f.snapshot();

    assertThatThrownBy(() -> f.client.enqueue(Task.of("t"), queue("q")))
        .isInstanceOf(JasynqException.class)
        .hasMessageContaining("\"asynq:{q}:pending\" holds a hash where a list is expected");
    assertThat(f.snapshot()).isEqualTo(before);
  }

  @Test
  void enqueueWithAQueueRegistryOfAnotherTypeFailsNamingItAndWritesNothing() {
    f.redis.commands().set("asynq:queues", "x".getBytes());
    Map<String, String> before = f.snapshot();

    assertThatThrownBy(() -> f.client.enqueue(Task.of("t"), queue("q")))
        .isInstanceOf(WrongKeyTypeException.class)
        .hasMessageContaining("\"asynq:queues\"");
    List<BatchResult> batch =
        f.client.enqueueBatch(List.of(Task.of("a"), Task.of("b")), queue("q"));
    assertThat(batch)
        .allSatisfy(r -> assertThat(r.error()).isInstanceOf(WrongKeyTypeException.class));
    assertThat(f.snapshot()).isEqualTo(before);
  }
}
