package io.jasynq.spring.boot;

import io.jasynq.Inspector;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code jasynq} health: UP when Redis answers a PING within {@code jasynq.health.timeout} (2
 * s) and the auto-configured server, if there is one, runs; DOWN when Redis does not answer (with
 * the error), when the server was stopped ({@code server: stopped}), or when a queue's latency
 * exceeds {@code jasynq.health.max-queue-latency} (details list every queue's latency).
 *
 * <p>The Redis round-trips run on one {@code jasynq-health} daemon thread, so a check never waits
 * longer than the timeout; while a check that timed out is still waiting for Redis, the next one
 * waits for that same round-trip instead of queueing another. {@link #health()} never throws: a
 * failure is DOWN with the exception. Thread-safe; {@link #close()} (called when the context
 * closes) stops the thread. The {@link Inspector} is borrowed.
 *
 * @since 0.1
 */
public final class JasynqHealthIndicator implements HealthIndicator, AutoCloseable {
  private final Inspector inspector;
  private final @Nullable JasynqServerLifecycle lifecycle; // null: no server in this context
  private final Duration timeout;
  private final @Nullable Duration maxQueueLatency; // null: not checked
  private final ThreadPoolExecutor executor;

  // Guarded by this.
  private @Nullable CompletableFuture<Map<String, Duration>> inFlight;

  JasynqHealthIndicator(
      Inspector inspector,
      @Nullable JasynqServerLifecycle lifecycle,
      Duration timeout,
      @Nullable Duration maxQueueLatency) {
    this.inspector = inspector;
    this.lifecycle = lifecycle;
    this.timeout = timeout;
    this.maxQueueLatency = maxQueueLatency;
    this.executor =
        new ThreadPoolExecutor(
            0, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), JasynqHealthIndicator::thread);
  }

  private static Thread thread(Runnable r) {
    Thread t = new Thread(r, "jasynq-health");
    t.setDaemon(true);
    return t;
  }

  @Override
  public Health health() {
    try {
      Map<String, Duration> latencies = check().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return withServer(latencyHealth(latencies)).build();
    } catch (TimeoutException e) {
      return withServer(Health.down().withDetail("redis", "no answer within " + timeout)).build();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return withServer(Health.down(cause).withDetail("redis", "unreachable")).build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Health.down(e).build();
    } catch (RuntimeException e) {
      return Health.down(e).build();
    }
  }

  /** The round-trip in flight, or a new one: PING, then each queue's latency when checked. */
  private synchronized CompletableFuture<Map<String, Duration>> check() {
    if (inFlight == null || inFlight.isDone()) {
      inFlight = CompletableFuture.supplyAsync(this::readRedis, executor);
    }
    return inFlight;
  }

  private Map<String, Duration> readRedis() {
    inspector.ping();
    Map<String, Duration> latencies = new LinkedHashMap<>();
    if (maxQueueLatency != null) {
      for (String queue : inspector.queues()) {
        latencies.put(queue, inspector.queueInfo(queue).latency());
      }
    }
    return latencies;
  }

  private Health.Builder latencyHealth(Map<String, Duration> latencies) {
    Health.Builder builder = Health.up().withDetail("redis", "up");
    if (maxQueueLatency == null) {
      return builder;
    }
    Map<String, String> shown = new LinkedHashMap<>();
    boolean slow = false;
    for (Map.Entry<String, Duration> e : latencies.entrySet()) {
      shown.put(e.getKey(), e.getValue().toString());
      slow |= e.getValue().compareTo(maxQueueLatency) > 0;
    }
    if (slow) {
      builder.down();
    }
    return builder
        .withDetail("maxQueueLatency", maxQueueLatency.toString())
        .withDetail("queueLatency", shown);
  }

  private Health.Builder withServer(Health.Builder builder) {
    if (lifecycle == null) {
      return builder.withDetail("server", "none");
    }
    String state = lifecycle.state();
    if (state.equals("stopped")) {
      builder.down();
    }
    return builder.withDetail("server", state.equals("idle") ? "none (no handlers)" : state);
  }

  /** Stops the {@code jasynq-health} thread, interrupting a round-trip in progress. Idempotent. */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "JasynqHealthIndicator[timeout="
        + timeout
        + ", maxQueueLatency="
        + maxQueueLatency
        + "]";
  }
}
