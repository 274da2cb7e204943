package io.jasynq.spring.boot;

import io.jasynq.ErrorHandler;
import io.jasynq.Middleware;
import io.jasynq.RateLimit;
import io.jasynq.RetryDelay;
import io.jasynq.ServerConfig;
import io.jasynq.ServerListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Turns {@code jasynq.server.*} and the context's beans into a {@link ServerConfig}. Stateless. */
final class ServerSettings {
  private ServerSettings() {}

  static ServerConfig config(
      JasynqProperties.Server p,
      boolean virtualThreads,
      List<Middleware> middleware,
      List<ServerListener> listeners,
      @Nullable ErrorHandler errorHandler) {
    ServerConfig.Builder b = ServerConfig.builder();
    if (p.getConcurrency() != null) {
      check(p.getConcurrency() >= 1, "concurrency", p.getConcurrency(), ">= 1");
      b.concurrency(p.getConcurrency());
    }
    for (Map.Entry<String, Integer> q : p.getQueues().entrySet()) {
      Integer priority = q.getValue();
      check(priority != null && priority >= 1, "queues." + q.getKey(), priority, ">= 1");
      b.queue(q.getKey(), priority);
    }
    b.strictPriority(p.isStrictPriority());
    for (Map.Entry<String, Integer> l : p.getConcurrencyLimits().entrySet()) {
      Integer limit = l.getValue();
      check(limit != null && limit >= 1, "concurrency-limits." + l.getKey(), limit, ">= 1");
      b.queueConcurrencyLimit(l.getKey(), limit);
    }
    for (Map.Entry<String, String> l : p.getRateLimits().entrySet()) {
      b.queueRateLimit(l.getKey(), rateLimit("rate-limits." + l.getKey(), l.getValue()));
    }
    Duration timeout = p.getShutdownTimeout();
    check(timeout != null && !timeout.isNegative(), "shutdown-timeout", timeout, ">= 0");
    b.shutdownTimeout(timeout);
    if (p.getRetryDelay() != null) {
      Duration delay = p.getRetryDelay();
      check(!delay.isNegative() && !delay.isZero(), "retry-delay", delay, "> 0");
      b.retryDelay(RetryDelay.constant(delay));
    }
    if (virtualThreads) {
      b.threadFactory(WorkerThreads.virtual());
    }
    middleware.forEach(b::middleware);
    listeners.forEach(b::listener);
    if (errorHandler != null) {
      b.errorHandler(errorHandler);
    }
    return b.build();
  }

  private static final java.util.regex.Pattern RATE =
      java.util.regex.Pattern.compile(
          "\\s*([0-9]{1,9})\\s*/\\s*([smh])\\s*(?:,\\s*burst\\s*=\\s*([0-9]{1,9})\\s*)?");

  /** {@code N/s}, {@code N/m} or {@code N/h}, optionally followed by {@code ,burst=B}. */
  static RateLimit rateLimit(String property, @Nullable String value) {
    java.util.regex.Matcher m = RATE.matcher(value == null ? "" : value);
    boolean ok =
        m.matches()
            && Integer.parseInt(m.group(1)) >= 1
            && (m.group(3) == null || Integer.parseInt(m.group(3)) >= 1);
    check(
        ok,
        property,
        String.valueOf(value),
        "N/s, N/m or N/h with N >= 1, optionally followed by ,burst=B");
    int tasks = Integer.parseInt(m.group(1));
    Duration per =
        switch (m.group(2)) {
          case "s" -> Duration.ofSeconds(1);
          case "m" -> Duration.ofMinutes(1);
          default -> Duration.ofHours(1);
        };
    return new RateLimit(tasks, per, m.group(3) == null ? tasks : Integer.parseInt(m.group(3)));
  }

  private static void check(boolean ok, String property, Object value, String rule) {
    if (!ok) {
      throw new IllegalArgumentException(
          "jasynq.server." + property + " must be " + rule + ", was " + value);
    }
  }
}
