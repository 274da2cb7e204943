package io.jasynq.internal.server;

import io.jasynq.HealthListener;
import io.jasynq.JasynqException;
import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.connection.ReachabilityListener;
import io.jasynq.internal.runtime.PeriodicPart;
import io.jasynq.internal.runtime.PeriodicRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the listener when Redis becomes unreachable and when it answers again (and once after the
 * first observation). Fed by every command of the server's broker (a connection-level failure seen
 * by the fetcher, a completion write or the heartbeater; any answer), by the connection losing its
 * socket for longer than {@link #DISCONNECT_GRACE}, and by its own periodic PING, which finds
 * recovery while the server is idle. Only changes are reported, in order, on the health checker's
 * own thread ({@code jasynq-health-checker}), never on a worker or a Lettuce thread.
 */
final class HealthChecker implements PeriodicPart, ReachabilityListener {
  private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);

  /** How long a lost socket may take to come back before Redis counts as unreachable. */
  static final Duration DISCONNECT_GRACE = Duration.ofSeconds(1);

  private final Broker broker;
  private final HealthListener listener;
  private final Duration timeout;
  private final PeriodicRunner runner;
  private final Object lock = new Object();
  // Shared: written under lock, read without it on the hot path. Null before the first observation.
  private volatile Boolean healthy;
  // Confined to the health checker's thread.
  private boolean listenerFailed;

  /**
   * @param timeout how long a PING may take before Redis counts as unreachable: shorter than the
   *     command timeout, because Lettuce holds commands while it reconnects
   * @param runner runs the listener on this part's thread
   */
  HealthChecker(Broker broker, HealthListener listener, Duration timeout, PeriodicRunner runner) {
    this.broker = broker;
    this.listener = listener;
    this.timeout = timeout;
    this.runner = runner;
  }

  @Override
  public String name() {
    return "health checker";
  }

  @Override
  public void runOnce(Instant now) {
    CompletableFuture<Void> ping = broker.ping();
    try {
      ping.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      answered();
    } catch (ExecutionException e) {
      if (!broker.connectionGone(e.getCause())) {
        unreachable(e.getCause());
      }
    } catch (TimeoutException e) {
      ping.cancel(false);
      unreachable(new JasynqException("Redis did not answer PING within " + timeout, e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void answered() {
    if (!Boolean.TRUE.equals(healthy)) { // one volatile read per command while healthy
      change(true, null);
    }
  }

  @Override
  public void unreachable(Throwable cause) {
    if (!Boolean.FALSE.equals(healthy)) {
      change(false, cause);
    }
  }

  @Override
  public void disconnected() {
    runner.execute(
        this,
        () -> {
          if (!broker.isConnected() && !broker.connectionGone(null)) {
            unreachable(
                new JasynqException(
                    "lost the connection to Redis; not back within " + DISCONNECT_GRACE));
          }
        },
        DISCONNECT_GRACE);
  }

  private void change(boolean up, Throwable cause) {
    synchronized (lock) { // queued under the lock, so the listener hears changes in order
      if (healthy != null && healthy == up) {
        return;
      }
      healthy = up;
      runner.execute(this, () -> report(up, cause), Duration.ZERO);
    }
  }

  private void report(boolean up, Throwable cause) {
    if (up) {
      log.info("Redis is reachable");
    } else {
      log.warn("Redis is unreachable: {}", cause.getMessage());
    }
    try {
      listener.onHealth(up, cause);
    } catch (RuntimeException e) {
      if (!listenerFailed) {
        listenerFailed = true;
        log.warn("health listener failed (later failures are logged at DEBUG): {}", e.toString());
      } else {
        log.debug("health listener failed", e);
      }
    }
  }
}
