package io.jasynq.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.JasynqException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A call made over and over on a thread of its own ("failover-test-inspector") while a failover
 * runs, counting how each ended: "ok", "JasynqException", or any other exception's class and
 * message. The first JasynqException messages are kept.
 */
final class CallsDuringFailover {
  private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final AtomicBoolean calling = new AtomicBoolean(true);
  private final Thread thread;

  /**
   * {@code call} is not started yet; at most {@code keptErrors} messages are kept, and after a
   * JasynqException the thread waits {@code backOff} (none when zero), as a caller would.
   */
  CallsDuringFailover(Runnable call, int keptErrors, Duration backOff) {
    this.thread =
        new Thread(
            () -> {
              while (calling.get()) {
                String outcome;
                try {
                  call.run();
                  outcome = "ok";
                } catch (JasynqException e) {
                  outcome = "JasynqException";
                  if (errors.size() < keptErrors) {
                    errors.add(e.getMessage());
                  }
                  if (!backOff.isZero()) {
                    LockSupport.parkNanos(backOff.toNanos());
                  }
                } catch (RuntimeException e) {
                  outcome = e.getClass().getSimpleName() + ": " + e.getMessage();
                }
                outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
              }
            },
            "failover-test-inspector");
  }

  void start() {
    thread.start();
  }

  /** Stops calling and waits up to {@code wait} for the call in flight to end. */
  void stop(Duration wait) throws InterruptedException {
    calling.set(false);
    thread.join(wait.toMillis());
  }

  /** Calls in flight recovered or failed with a JasynqException naming the call, nothing else. */
  void assertOnlyOkOrJasynqExceptionsNamingTheCall() {
    assertThat(outcomes.keySet()).isSubsetOf("ok", "JasynqException");
    assertThat(errors).as("errors name the call").allMatch(m -> m.contains(" failed"));
  }

  /** How many calls ended each way, by outcome. */
  Map<String, AtomicInteger> outcomes() {
    return outcomes;
  }

  /** The messages of the first JasynqExceptions. */
  List<String> errors() {
    return errors;
  }
}
