package io.jasynq.testkit;

import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a whole Redis in Asynq's key schema; start with {@link
 * RedisAssertions#assertThat(TestRedis)}.
 *
 * @since 0.1.0
 */
public final class RedisAssert extends AbstractAssert<RedisAssert, TestRedis> {
  RedisAssert(TestRedis redis) {
    super(redis, RedisAssert.class);
    isNotNull();
  }

  /** Assertions on the keys of queue {@code name} ({@code asynq:{name}:...}). */
  public QueueAssert queue(String name) {
    return new QueueAssert(actual, name);
  }

  /** Checks that {@code asynq:queues} names each of {@code names}. */
  public RedisAssert knowsQueues(String... names) {
    var known = actual.smembers("asynq:queues");
    for (String name : names) {
      if (!known.contains(name)) {
        failWithMessage("expected asynq:queues to contain %s but it holds %s", name, known);
      }
    }
    return this;
  }
}
