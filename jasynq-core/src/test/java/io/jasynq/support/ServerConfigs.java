package io.jasynq.support;

import io.jasynq.ServerConfig;
import java.time.Duration;

/** Server settings shared by tests that run a real server. */
public final class ServerConfigs {
  private ServerConfigs() {}

  /** Short intervals: a task is fetched, forwarded and beaten for within tens of milliseconds. */
  public static ServerConfig.Builder fast() {
    return ServerConfig.builder()
        .taskCheckInterval(Duration.ofMillis(20))
        .heartbeatInterval(Duration.ofMillis(200))
        .delayedTaskCheckInterval(Duration.ofMillis(50));
  }

  /**
   * {@link #fast()} plus a janitor every 50 ms and a recoverer every 100 ms: completed tasks expire
   * and lost leases come back within a test's patience.
   */
  public static ServerConfig.Builder fastWithMaintenance() {
    return fast().janitorInterval(Duration.ofMillis(50)).recovererInterval(Duration.ofMillis(100));
  }
}
