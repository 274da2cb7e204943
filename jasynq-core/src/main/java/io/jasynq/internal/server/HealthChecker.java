package io.jasynq.internal.server;

import io.jasynq.HealthListener;
import io.jasynq.JasynqException;
import io.jasynq.internal.broker.Broker;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** PINGs Redis and tells the listener when the answer changes (and after the first check). */
final class HealthChecker implements ServerPart {
  private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);

  private final Broker broker;
  private final HealthListener listener;
  private final Duration timeout;
  private Boolean healthy; // confined to the runner thread; null before the first check

  /**
   * @param timeout how long a PING may take before Redis counts as unreachable: shorter than the
   *     command timeout, because Lettuce holds commands while it reconnects
   */
  HealthChecker(Broker broker, HealthListener listener, Duration timeout) {
    this.broker = broker;
    this.listener = listener;
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return "health checker";
  }

  @Override
  public void runOnce(Instant now) {
    Throwable error = null;
    CompletableFuture<Void> ping = broker.ping();
    try {
      ping.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      error = e.getCause();
    } catch (TimeoutException e) {
      ping.cancel(false);
      error = new JasynqException("Redis did not answer PING within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    boolean up = error == null;
    if (healthy == null || healthy != up) {
      healthy = up;
      if (up) {
        log.info("Redis is reachable");
      } else if (broker.connectionGone(error)) {
        log.debug("the Redis connection is closed: {}", error.getMessage());
      } else {
        log.warn("Redis is unreachable: {}", error.getMessage());
      }
      try {
        listener.onHealth(up, error);
      } catch (RuntimeException e) {
        log.warn("health listener failed: {}", e.toString());
      }
    }
  }
}
