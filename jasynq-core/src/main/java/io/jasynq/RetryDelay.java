package io.jasynq;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a failed task waits before its next attempt.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface RetryDelay {
  /**
   * Asynq's default: {@code n⁴ + 15 + r·(n+1)} seconds, with n the retries so far and r uniform in
   * [0, 30): 15–44 s after the first failure, about 3.8 days at n = 24.
   */
  RetryDelay EXPONENTIAL =
      (retried, error, task) -> {
        long n = retried;
        long r = ThreadLocalRandom.current().nextLong(30);
        return Duration.ofSeconds(n * n * n * n + 15 + r * (n + 1));
      };

  /** A fixed delay. */
  static RetryDelay constant(Duration delay) {
    Checks.notNegative("delay", delay);
    return (retried, error, task) -> delay;
  }

  /**
   * The delay before the next attempt.
   *
   * @param retried retries done so far, before this failure
   * @param error what the handler threw
   * @param task the task
   */
  Duration delay(int retried, Throwable error, Task task);
}
