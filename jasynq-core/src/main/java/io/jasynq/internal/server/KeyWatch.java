package io.jasynq.internal.server;

import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.connection.Subscription;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis key tracking of the server's pending lists while its fetch loop is idle, so that a task
 * that publishes no wake-up (a Go producer's) wakes the loop at once instead of at its next poll.
 * Tracking runs on the broker's connection in {@code BCAST} mode, redirected to the channel
 * listener's subscription, where the invalidations arrive.
 *
 * <p>Only while idle: with tracking on, each pass of Redis's event loop that writes a pending list
 * sends an invalidation, which at one task in flight cost about 5 µs of Redis CPU and 7 µs of ours
 * per task. So the fetch loop {@link #arm}s it when it finds the queues empty (and looks once more,
 * as a task may have come in before tracking was on) and {@link #disarm}s it when it takes tasks.
 * After each idle poll that nothing woke, it {@link #refresh}es it before it looks (which repairs
 * tracking lost with a reconnect of the broker's connection, and sees what came in meanwhile); the
 * channel listener gives it each new subscription.
 *
 * <p>Where Redis refuses (an ACL user without {@code +client|tracking}, Redis before 6.0) it says
 * so once at INFO and stays off; on a cluster there is no target and it never starts. Thread-safe.
 */
final class KeyWatch {
  private static final Logger log = LoggerFactory.getLogger(KeyWatch.class);

  private final Broker broker;
  private final List<String> prefixes;
  private @Nullable Subscription target; // guarded by this
  private boolean armed; // guarded by this
  private boolean refused; // guarded by this

  KeyWatch(Broker broker, List<String> prefixes) {
    this.broker = broker;
    this.prefixes = List.copyOf(prefixes);
  }

  /** The subscription that invalidations go to; re-arms tracking there if it was on. */
  synchronized void target(@Nullable Subscription subscription) {
    target = subscription;
    if (armed && subscription != null) {
      armed = false;
      arm();
    }
  }

  /** Whether tracking is on (as far as this server knows: a reconnect may have ended it). */
  synchronized boolean armed() {
    return armed;
  }

  /**
   * Turns tracking on, waiting for Redis. False if it cannot be: no target, refused, or Redis
   * unreachable (the poll still finds every task).
   */
  synchronized boolean arm() {
    Subscription s = target;
    long id = s == null ? -1 : s.clientId();
    if (refused || id < 0) {
      return false;
    }
    try {
      broker.await(broker.servers().trackKeys(id, prefixes));
      armed = true;
      return true;
    } catch (RuntimeException e) {
      if (broker.isErrorReply(e)) {
        refused = true;
        log.info(
            "Redis refused key tracking ({}); tasks that publish no wake-up (a Go producer's) are"
                + " found by polling",
            e.getMessage());
      } else {
        log.debug("turning key tracking on failed; polling meanwhile", e);
      }
      return false;
    }
  }

  /** Turns tracking off without waiting; a failure is ignored (the next arm starts afresh). */
  synchronized void disarm() {
    if (!armed) {
      return;
    }
    armed = false;
    try {
      broker
          .servers()
          .untrackKeys()
          .whenComplete(
              (ok, e) -> {
                if (e != null) {
                  log.debug("turning key tracking off failed", e);
                }
              });
    } catch (RuntimeException e) {
      log.debug("turning key tracking off failed", e);
    }
  }

  /**
   * Re-arms tracking if it is on: a reconnect may have ended it. Writes in the moment between off
   * and on are not reported, so the caller looks at the queues afterwards.
   */
  synchronized void refresh() {
    if (armed) {
      armed = false;
      arm();
    }
  }
}
