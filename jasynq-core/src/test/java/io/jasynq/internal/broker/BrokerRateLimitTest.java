package io.jasynq.internal.broker;

import static io.jasynq.TaskOption.queue;
import static io.jasynq.internal.broker.BrokerFixture.LEASE;
import static io.jasynq.internal.broker.BrokerFixture.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.RateLimit;
import io.jasynq.Task;
import io.jasynq.internal.broker.TaskFlow.DoneThenNext;
import io.jasynq.internal.broker.proto.TaskMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A queue's fleet-wide rate limit (asynq:{Q}:limits rate, per_ms, burst; bucket asynq:{Q}:rate):
 * both dequeue scripts take at most the whole tokens in the bucket, spend one per task, say when
 * the next token is due when none is left, and a task over the limit stays pending as it was.
 */
@BrokerTest
class BrokerRateLimitTest {
  private final BrokerFixture f;

  BrokerRateLimitTest(BrokerFixture f) {
    this.f = f;
  }

  private void enqueue(String q, int n) {
    for (int i = 0; i < n; i++) {
      f.enqueue(Task.of("t"), queue(q));
    }
  }

  private DequeueBatch dequeue(Instant now, int max, String... queues) {
    return f.await(f.broker.tasks().dequeue(List.of(queues), now, now.plusSeconds(30), max));
  }

  private void rate(String q, RateLimit limit) {
    f.await(f.broker.limits().setRate(q, limit));
  }

  @Test
  void theBucketStartsFullAndRefillsAtTheRateAndAnEmptyOneSaysWhenTheNextTokenComes() {
    enqueue("a", 10);
    rate("a", RateLimit.of(3, Duration.ofSeconds(1)));

    assertThat(dequeue(NOW, 10, "a").tasks()).hasSize(3);
    assertThat(f.redis.hget("asynq:{a}:rate", "tokens")).isEqualTo("0");
    DequeueBatch empty = dequeue(NOW, 10, "a");
    assertThat(empty.tasks()).isEmpty();
    assertThat(empty.rateWaitMillis()).isEqualTo(334); // a third of a second, rounded up
    assertThat(f.redis.lrange("asynq:{a}:pending")).hasSize(7);

    Instant half = NOW.plusMillis(500); // 1.5 tokens
    assertThat(dequeue(half, 10, "a").tasks()).hasSize(1);
    DequeueBatch again = dequeue(half, 10, "a");
    assertThat(again.tasks()).isEmpty();
    assertThat(again.rateWaitMillis()).isEqualTo(167);

    Instant later = NOW.plusSeconds(60); // capped at the burst of 3
    assertThat(dequeue(later, 10, "a").tasks()).hasSize(3);
    assertThat(f.redis.lrange("asynq:{a}:pending")).hasSize(3);
  }

  @Test
  void aCallWithAnOlderClockSpendsTokensButNeverMovesTheBucketBack() {
    enqueue("a", 20);
    rate("a", RateLimit.of(10, Duration.ofSeconds(1)));
    Instant t1 = NOW.plusSeconds(1);
    assertThat(dequeue(t1, 3, "a").tasks()).hasSize(3); // 7 left, stamped t1
    // A call whose clock reads earlier (overtaken, or a server behind) spends what is left...
    assertThat(dequeue(NOW, 10, "a").tasks()).hasSize(7);
    assertThat(f.redis.hget("asynq:{a}:rate", "at_ms"))
        .as("...without moving the stamp back, so the next call makes no tokens twice")
        .isEqualTo(Long.toString(t1.toEpochMilli()));
    assertThat(dequeue(t1, 10, "a").tasks()).isEmpty();
    assertThat(dequeue(t1.plusMillis(100), 10, "a").tasks()).hasSize(1);
  }

  @Test
  void aTaskOverTheLimitStaysPendingAsItWasAndOtherQueuesAreServed() {
    TaskMessage waiting;
    enqueue("a", 2);
    enqueue("b", 2);
    rate("a", new RateLimit(1, Duration.ofMinutes(1), 1));
    DequeueBatch first = dequeue(NOW, 10, "a", "b");
    assertThat(first.tasks()).extracting(Dequeued::queue).containsExactly("a", "b", "b");
    assertThat(first.rateWaitMillis()).isZero();
    String left = f.redis.lrange("asynq:{a}:pending").get(0);
    assertThat(f.redis.hget(Keys.task("a", left), "state")).isEqualTo("pending");
    assertThat(f.redis.hget(Keys.task("a", left), "pending_since")).isNotNull();
    DequeueBatch second = dequeue(NOW.plusSeconds(1), 10, "a", "b");
    assertThat(second.tasks()).isEmpty();
    assertThat(second.rateWaitMillis()).isEqualTo(59_000);
    waiting = dequeue(NOW.plusSeconds(60), 1, "a").tasks().get(0).message();
    assertThat(waiting.getId()).isEqualTo(left);
    assertThat(waiting.getRetried()).isZero();
  }

  @Test
  void doneThenDequeueSpendsTokensTooAndConcurrencyAndRateBothHold() {
    rate("default", RateLimit.of(2, Duration.ofSeconds(1)));
    TaskMessage a = f.active(Task.of("a")); // spends one of the two
    enqueue("default", 3);
    DoneThenNext r =
        f.await(f.broker.tasks().doneThenDequeue(a, f.broker.outcomes(), "default", NOW, LEASE, 1));
    assertThat(r.next().tasks()).hasSize(1);
    DoneThenNext none =
        f.await(
            f.broker
                .tasks()
                .doneThenDequeue(
                    r.next().tasks().get(0).message(),
                    f.broker.outcomes(),
                    "default",
                    NOW,
                    LEASE,
                    1));
    assertThat(none.doneError()).isNull();
    assertThat(none.next().tasks()).isEmpty();
    assertThat(none.next().rateWaitMillis()).isEqualTo(500);

    f.await(f.broker.limits().setConcurrency("default", 1));
    enqueue("default", 1);
    DequeueBatch both = dequeue(NOW.plusSeconds(5), 10, "default");
    assertThat(both.tasks()).as("2 tokens, but room for 1").hasSize(1);
    assertThat(both.limited()).containsExactly("default");
    assertThat(f.redis.hget("asynq:{default}:rate", "tokens")).isEqualTo("1");
  }

  @Test
  void aMalformedRateOrBucketNeverStallsTheQueueAndSetReturnsWhatWasBefore() {
    enqueue("a", 4);
    f.redis.commands().hset("asynq:{a}:limits", "rate", "fast".getBytes());
    f.redis.commands().hset("asynq:{a}:limits", "per_ms", "1000".getBytes());
    assertThat(dequeue(NOW, 2, "a").tasks()).as("no limit holds").hasSize(2);

    assertThat(f.await(f.broker.limits().setRate("a", RateLimit.of(1, Duration.ofHours(1)))))
        .as("a malformed rate reads as none")
        .isNull();
    f.redis.commands().set("asynq:{a}:rate", "oops".getBytes());
    assertThat(dequeue(NOW, 5, "a").tasks()).as("an unreadable bucket starts full").hasSize(1);
    assertThat(f.redis.get("asynq:{a}:rate")).as("and is left alone").isEqualTo("oops");

    assertThat(f.await(f.broker.limits().setRate("a", null)))
        .isEqualTo(new RateLimit(1, Duration.ofHours(1), 1));
    assertThat(f.redis.hgetAll("asynq:{a}:limits")).isEmpty();
    assertThat(dequeue(NOW, 5, "a").tasks()).hasSize(1);
  }

  @Test
  void invalidRateLimitsAreRejectedNamingTheFieldTheValueAndTheRule() {
    assertThatThrownBy(() -> RateLimit.of(0, Duration.ofSeconds(1)))
        .hasMessage("rate limit tasks must be >= 1, was 0");
    assertThatThrownBy(() -> RateLimit.of(1, Duration.ofNanos(1500)))
        .hasMessage(
            "rate limit period must be whole milliseconds, at least 1 ms, was PT0.0000015S");
    assertThatThrownBy(() -> RateLimit.of(5, Duration.ofSeconds(1)).withBurst(0))
        .hasMessage("rate limit burst must be >= 1, was 0");
  }
}
