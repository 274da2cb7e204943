package io.jasynq.testkit;

/**
 * Entry point of the AssertJ assertions on Redis state in Asynq's key schema (wire-format §1).
 *
 * <pre>{@code
 * import static io.jasynq.testkit.RedisAssertions.assertThat;
 *
 * assertThat(redis).queue("q").hasPending(3).hasNoActive();
 * assertThat(redis).queue("q").task(id).isInState("archived");
 * }</pre>
 *
 * @since 0.1.0
 */
public final class RedisAssertions {
  private RedisAssertions() {}

  /** Assertions on what {@code redis} holds. */
  public static RedisAssert assertThat(TestRedis redis) {
    return new RedisAssert(redis);
  }
}
