package io.jasynq.spring.boot;

import io.jasynq.ServerConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code jasynq.*} settings. Unset values keep jasynq's (Asynq's) defaults. Values are checked
 * when the beans are built; a bad one fails the context with a message naming the property, the
 * value and the rule. Bound once at start; not thread-safe while being bound.
 *
 * @since 0.1
 */
@ConfigurationProperties("jasynq")
public class JasynqProperties {
  private final Redis redis = new Redis();
  private final Server server = new Server();

  /** Where jasynq's Redis is; by default the application's ({@code spring.data.redis.*}). */
  public Redis getRedis() {
    return redis;
  }

  /** How the task server runs. */
  public Server getServer() {
    return server;
  }

  /**
   * A separate Redis for jasynq.
   *
   * @since 0.1
   */
  public static class Redis {
    /**
     * Redis URI for jasynq alone, e.g. {@code redis://user:secret@host:6379/0}, {@code rediss://},
     * {@code redis-sentinel://h1,h2?master=m} or {@code redis-cluster://h1,h2}. Unset: the
     * application's {@code spring.data.redis.*} settings and its Lettuce ClientResources.
     */
    private @Nullable String uri;

    /** The URI, or null when unset. */
    public @Nullable String getUri() {
      return uri;
    }

    /** Sets the URI; blank means unset. */
    public void setUri(@Nullable String uri) {
      this.uri = uri == null || uri.isBlank() ? null : uri.strip();
    }
  }

  /**
   * The task server's settings.
   *
   * @since 0.1
   */
  public static class Server {
    /**
     * Whether to run a task server. Unset: run one when the context has at least one handler
     * (a @TaskHandler method, a @TaskHandler Handler bean or a PatternHandler bean).
     */
    private @Nullable Boolean enabled;

    /** Worker count, >= 1. Unset: the number of available processors. */
    private @Nullable Integer concurrency;

    /**
     * Queue name to priority (>= 1), e.g. jasynq.server.queues.critical=6. Unset: queue "default"
     * with priority 1.
     */
    private Map<String, Integer> queues = new LinkedHashMap<>();

    /** Whether higher-priority queues are emptied first, instead of weighted random order. */
    private boolean strictPriority;

    /**
     * Queue name to the most of its tasks active at once across every jasynq server (>= 1), e.g.
     * jasynq.server.concurrency-limits.reports=5; written to Redis when the server starts. The
     * queue must be one of jasynq.server.queues (or "default" when none is set).
     */
    private Map<String, Integer> concurrencyLimits = new LinkedHashMap<>();

    /**
     * Queue name to its fleet-wide rate limit, tasks started per second, minute or hour, e.g.
     * jasynq.server.rate-limits.emails=50/s; written to Redis when the server starts. An optional
     * burst follows a comma: 50/s,burst=10 (default: the count). The queue must be served here.
     */
    private Map<String, String> rateLimits = new LinkedHashMap<>();

    /**
     * How long running handlers may finish at shutdown before they are interrupted and their tasks
     * requeued. Keep it below spring.lifecycle.timeout-per-shutdown-phase (default 30 s).
     */
    private Duration shutdownTimeout = ServerConfig.DEFAULT_SHUTDOWN_TIMEOUT;

    /** A constant delay before each retry, > 0. Unset: Asynq's exponential back-off. */
    private @Nullable Duration retryDelay;

    /**
     * Whether workers are virtual threads (Java 21+). Unset: follows
     * spring.threads.virtual.enabled.
     */
    private @Nullable Boolean virtualThreads;

    /** Whether to run a server; null when unset (decided by the handlers found). */
    public @Nullable Boolean getEnabled() {
      return enabled;
    }

    /** Sets whether to run a server. */
    public void setEnabled(@Nullable Boolean enabled) {
      this.enabled = enabled;
    }

    /** The worker count, or null for the number of processors. */
    public @Nullable Integer getConcurrency() {
      return concurrency;
    }

    /** Sets the worker count. */
    public void setConcurrency(@Nullable Integer concurrency) {
      this.concurrency = concurrency;
    }

    /** Queue name → priority, in binding order; mutable while binding. */
    public Map<String, Integer> getQueues() {
      return queues;
    }

    /** Sets the queues. */
    public void setQueues(Map<String, Integer> queues) {
      this.queues = queues == null ? new LinkedHashMap<>() : new LinkedHashMap<>(queues);
    }

    /** Queue name → fleet-wide concurrency limit; mutable while binding. */
    public Map<String, Integer> getConcurrencyLimits() {
      return concurrencyLimits;
    }

    /** Sets the fleet-wide concurrency limits. */
    public void setConcurrencyLimits(Map<String, Integer> limits) {
      this.concurrencyLimits = limits == null ? new LinkedHashMap<>() : new LinkedHashMap<>(limits);
    }

    /** Queue name → fleet-wide rate limit (N/s, N/m or N/h[,burst=B]); mutable while binding. */
    public Map<String, String> getRateLimits() {
      return rateLimits;
    }

    /** Sets the fleet-wide rate limits. */
    public void setRateLimits(Map<String, String> limits) {
      this.rateLimits = limits == null ? new LinkedHashMap<>() : new LinkedHashMap<>(limits);
    }

    /** Whether priorities are strict; default false. */
    public boolean isStrictPriority() {
      return strictPriority;
    }

    /** Sets strict priority. */
    public void setStrictPriority(boolean strictPriority) {
      this.strictPriority = strictPriority;
    }

    /** The shutdown timeout; default {@link ServerConfig#DEFAULT_SHUTDOWN_TIMEOUT}. */
    public Duration getShutdownTimeout() {
      return shutdownTimeout;
    }

    /** Sets the shutdown timeout. */
    public void setShutdownTimeout(Duration shutdownTimeout) {
      this.shutdownTimeout = shutdownTimeout;
    }

    /** The constant retry delay, or null for exponential back-off. */
    public @Nullable Duration getRetryDelay() {
      return retryDelay;
    }

    /** Sets the constant retry delay. */
    public void setRetryDelay(@Nullable Duration retryDelay) {
      this.retryDelay = retryDelay;
    }

    /** Whether workers are virtual threads, or null to follow spring.threads.virtual.enabled. */
    public @Nullable Boolean getVirtualThreads() {
      return virtualThreads;
    }

    /** Sets whether workers are virtual threads. */
    public void setVirtualThreads(@Nullable Boolean virtualThreads) {
      this.virtualThreads = virtualThreads;
    }
  }
}
