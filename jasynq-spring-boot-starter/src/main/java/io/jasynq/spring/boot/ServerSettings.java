package io.jasynq.spring.boot;

import io.jasynq.ErrorHandler;
import io.jasynq.Middleware;
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

  private static void check(boolean ok, String property, Object value, String rule) {
    if (!ok) {
      throw new IllegalArgumentException(
          "jasynq.server." + property + " must be " + rule + ", was " + value);
    }
  }
}
