package io.jasynq;

/**
 * Told when the server's Redis becomes unreachable and when it answers again (and once after the
 * first check). Runs on the health-check thread; keep it short.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface HealthListener {
  /**
   * @param healthy whether Redis answered
   * @param error why not, when unhealthy; null when healthy
   */
  void onHealth(boolean healthy, Throwable error);
}
