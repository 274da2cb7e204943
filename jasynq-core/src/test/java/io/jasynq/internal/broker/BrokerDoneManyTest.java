package io.jasynq.internal.broker;

import static io.jasynq.TaskOption.unique;
import static io.jasynq.internal.broker.BrokerFixture.DAY;
import static io.jasynq.internal.broker.BrokerFixture.NOW;
import static io.jasynq.internal.broker.BrokerFixture.STATS_EXPIRY;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Task;
import io.jasynq.internal.broker.proto.TaskMessage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Batched acknowledgement: each task leaves Redis exactly as a single done makes it leave. */
@BrokerTest
class BrokerDoneManyTest {
  private final BrokerFixture f;

  BrokerDoneManyTest(BrokerFixture f) {
    this.f = f;
  }

  @Test
  void finishesEveryActiveTaskAndSkipsTheOthers() throws Exception {
    TaskMessage a = f.active(Task.of("a"));
    TaskMessage b = f.active(Task.of("b", "x"), unique(Duration.ofHours(1)));
    TaskMessage c = f.active(Task.of("c"));
    TaskMessage notActive = c.toBuilder().setId("never-dequeued").build();

    List<Boolean> results =
        f.await(f.broker.outcomes().doneMany("default", List.of(a, b, notActive, c), NOW));

    assertThat(results).containsExactly(true, true, false, true);
    assertThat(f.redis.keys("asynq:{default}:t:*")).isEmpty();
    assertThat(f.redis.keys("asynq:{default}:active")).isEmpty();
    assertThat(f.redis.keys("asynq:{default}:lease")).isEmpty();
    assertThat(f.redis.keys("asynq:{default}:unique:*")).as("lock released").isEmpty();
    assertThat(f.redis.get("asynq:{default}:processed")).isEqualTo("3");
    assertThat(f.redis.get("asynq:{default}:processed:" + DAY)).isEqualTo("3");
    assertThat(f.expireTime("asynq:{default}:processed:" + DAY)).isEqualTo(STATS_EXPIRY);
    assertThat(f.redis.keys("asynq:{default}:failed*")).isEmpty();
  }

  @Test
  void aLockNamingAnotherTaskIsKept() {
    TaskMessage a = f.active(Task.of("a", "x"), unique(Duration.ofHours(1)));
    f.redis.commands().set(a.getUniqueKey(), "someone-else".getBytes());
    assertThat(f.await(f.broker.outcomes().doneMany("default", List.of(a), NOW)))
        .containsExactly(true);
    assertThat(f.redis.get(a.getUniqueKey())).isEqualTo("someone-else");
  }
}
