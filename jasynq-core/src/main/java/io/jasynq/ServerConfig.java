package io.jasynq;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link Server} runs: worker concurrency, queues and their priorities, retry policy,
 * intervals of its background parts and shutdown timeout. Immutable; built by {@link #builder()},
 * which validates each value and names the bad one. Defaults are Asynq's.
 *
 * <pre>{@code
 * ServerConfig config = ServerConfig.builder()
 *     .concurrency(20)
 *     .queue("critical", 6).queue("default", 3).queue("low", 1)
 *     .shutdownTimeout(Duration.ofSeconds(8))
 *     .build();
 * }</pre>
 *
 * @since 0.1
 */
public final class ServerConfig {
  /** Default shutdown timeout: 8 s. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(8);

  /** Default interval of the forwarder (scheduled and retry tasks): 5 s. */
  public static final Duration DEFAULT_DELAYED_TASK_CHECK_INTERVAL = Duration.ofSeconds(5);

  /** Default idle poll interval when every queue is empty: 1 s (jittered ±50 %). */
  public static final Duration DEFAULT_TASK_CHECK_INTERVAL = Duration.ofSeconds(1);

  /** Default health-check interval: 15 s. */
  public static final Duration DEFAULT_HEALTH_CHECK_INTERVAL = Duration.ofSeconds(15);

  /** Default janitor interval: 8 s. */
  public static final Duration DEFAULT_JANITOR_INTERVAL = Duration.ofSeconds(8);

  /** Default janitor batch size: 100. */
  public static final int DEFAULT_JANITOR_BATCH_SIZE = 100;

  /** Default group grace period: 1 min. */
  public static final Duration DEFAULT_GROUP_GRACE_PERIOD = Duration.ofMinutes(1);

  /** Heartbeat interval: 5 s, as Asynq's (server entries live twice as long). */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);

  /** Recoverer interval: 1 min, as Asynq's. */
  public static final Duration DEFAULT_RECOVERER_INTERVAL = Duration.ofMinutes(1);

  private final int concurrency;
  private final Map<String, Integer> queues;
  private final boolean strictPriority;
  private final Map<String, Integer> concurrencyLimits;
  private final Map<String, RateLimit> rateLimits;
  private final RetryDelay retryDelay;
  private final Predicate<Throwable> isFailure;
  private final @Nullable ErrorHandler errorHandler;
  private final Duration shutdownTimeout;
  private final @Nullable HealthListener healthListener;
  private final List<ServerListener> listeners;
  private final List<Middleware> middleware;
  private final Duration healthCheckInterval;
  private final Duration delayedTaskCheckInterval;
  private final Duration taskCheckInterval;
  private final Duration heartbeatInterval;
  private final Duration recovererInterval;
  private final Duration groupGracePeriod;
  private final Duration groupMaxDelay;
  private final int groupMaxSize;
  private final @Nullable GroupAggregator groupAggregator;
  private final Duration janitorInterval;
  private final int janitorBatchSize;
  private final @Nullable ThreadFactory threadFactory;
  private final Clock clock;

  private ServerConfig(Builder b) {
    this.concurrency = b.concurrency;
    this.queues =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(
                b.queues.isEmpty() ? Map.of(TaskOption.DEFAULT_QUEUE, 1) : b.queues));
    this.strictPriority = b.strictPriority;
    this.concurrencyLimits = Collections.unmodifiableMap(new LinkedHashMap<>(b.concurrencyLimits));
    this.rateLimits = Collections.unmodifiableMap(new LinkedHashMap<>(b.rateLimits));
    this.retryDelay = b.retryDelay;
    this.isFailure = b.isFailure;
    this.errorHandler = b.errorHandler;
    this.shutdownTimeout = b.shutdownTimeout;
    this.healthListener = b.healthListener;
    this.listeners = List.copyOf(b.listeners);
    this.middleware = List.copyOf(b.middleware);
    this.healthCheckInterval = b.healthCheckInterval;
    this.delayedTaskCheckInterval = b.delayedTaskCheckInterval;
    this.taskCheckInterval = b.taskCheckInterval;
    this.heartbeatInterval = b.heartbeatInterval;
    this.recovererInterval = b.recovererInterval;
    this.groupGracePeriod = b.groupGracePeriod;
    this.groupMaxDelay = b.groupMaxDelay;
    this.groupMaxSize = b.groupMaxSize;
    this.groupAggregator = b.groupAggregator;
    this.janitorInterval = b.janitorInterval;
    this.janitorBatchSize = b.janitorBatchSize;
    this.threadFactory = b.threadFactory;
    this.clock = b.clock;
  }

  /** A builder with Asynq's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Asynq's defaults: concurrency = CPUs, queue "default". */
  public static ServerConfig defaults() {
    return builder().build();
  }

  /** A builder holding this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.concurrency = concurrency;
    b.queues.putAll(queues);
    b.strictPriority = strictPriority;
    b.concurrencyLimits.putAll(concurrencyLimits);
    b.rateLimits.putAll(rateLimits);
    b.retryDelay = retryDelay;
    b.isFailure = isFailure;
    b.errorHandler = errorHandler;
    b.shutdownTimeout = shutdownTimeout;
    b.healthListener = healthListener;
    b.listeners.addAll(listeners);
    b.middleware.addAll(middleware);
    b.healthCheckInterval = healthCheckInterval;
    b.delayedTaskCheckInterval = delayedTaskCheckInterval;
    b.taskCheckInterval = taskCheckInterval;
    b.heartbeatInterval = heartbeatInterval;
    b.recovererInterval = recovererInterval;
    b.groupGracePeriod = groupGracePeriod;
    b.groupMaxDelay = groupMaxDelay;
    b.groupMaxSize = groupMaxSize;
    b.groupAggregator = groupAggregator;
    b.janitorInterval = janitorInterval;
    b.janitorBatchSize = janitorBatchSize;
    b.threadFactory = threadFactory;
    b.clock = clock;
    return b;
  }

  /** Worker count. */
  public int concurrency() {
    return concurrency;
  }

  /** Queue name → priority, in registration order; unmodifiable. */
  public Map<String, Integer> queues() {
    return queues;
  }

  /**
   * Queue name → the most tasks of it active at once across every jasynq server, written to Redis
   * when the server starts; unmodifiable, empty by default (no limit).
   */
  public Map<String, Integer> concurrencyLimits() {
    return concurrencyLimits;
  }

  /**
   * Queue name → its fleet-wide rate limit, written to Redis when the server starts; unmodifiable,
   * empty by default (no limit).
   */
  public Map<String, RateLimit> rateLimits() {
    return rateLimits;
  }

  /** Whether a higher-priority queue is always emptied first. */
  public boolean strictPriority() {
    return strictPriority;
  }

  /** The retry back-off. */
  public RetryDelay retryDelay() {
    return retryDelay;
  }

  /** Whether an error counts as a failure (retry counter, failed stats). */
  public Predicate<Throwable> isFailure() {
    return isFailure;
  }

  /** The error handler, or null. */
  public @Nullable ErrorHandler errorHandler() {
    return errorHandler;
  }

  /** How long shutdown waits for running handlers before requeuing their tasks. */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /** The health listener, or null (then no health checks run). */
  public @Nullable HealthListener healthListener() {
    return healthListener;
  }

  /** The server listeners, in the order added; unmodifiable, maybe empty. */
  public List<ServerListener> listeners() {
    return listeners;
  }

  /**
   * The middleware the server applies around its handler, in the order added (the first outermost);
   * unmodifiable, maybe empty.
   */
  public List<Middleware> middleware() {
    return middleware;
  }

  /** Interval of health checks. */
  public Duration healthCheckInterval() {
    return healthCheckInterval;
  }

  /** Interval of the forwarder. */
  public Duration delayedTaskCheckInterval() {
    return delayedTaskCheckInterval;
  }

  /** Idle poll interval. */
  public Duration taskCheckInterval() {
    return taskCheckInterval;
  }

  /** Heartbeat interval (server state and lease extension). */
  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  /** Recoverer interval. */
  public Duration recovererInterval() {
    return recovererInterval;
  }

  /** Group grace period. */
  public Duration groupGracePeriod() {
    return groupGracePeriod;
  }

  /** Group max delay; zero for none. */
  public Duration groupMaxDelay() {
    return groupMaxDelay;
  }

  /** Group max size; 0 for none. */
  public int groupMaxSize() {
    return groupMaxSize;
  }

  /** The group aggregator, or null (grouped tasks then wait). */
  public @Nullable GroupAggregator groupAggregator() {
    return groupAggregator;
  }

  /** Janitor interval. */
  public Duration janitorInterval() {
    return janitorInterval;
  }

  /** Janitor batch size. */
  public int janitorBatchSize() {
    return janitorBatchSize;
  }

  /** The worker thread factory, or null for jasynq's daemon platform threads. */
  public @Nullable ThreadFactory threadFactory() {
    return threadFactory;
  }

  /** The clock. */
  public Clock clock() {
    return clock;
  }

  @Override
  public String toString() {
    return "ServerConfig[concurrency="
        + concurrency
        + ", queues="
        + queues
        + (strictPriority ? ", strict" : "")
        + (concurrencyLimits.isEmpty() ? "" : ", concurrencyLimits=" + concurrencyLimits)
        + (rateLimits.isEmpty() ? "" : ", rateLimits=" + rateLimits)
        + ", shutdownTimeout="
        + shutdownTimeout
        + "]";
  }

  /** Builds a {@link ServerConfig}; every setter validates its argument. Not thread-safe. */
  public static final class Builder {
    private int concurrency = Runtime.getRuntime().availableProcessors();
    private final Map<String, Integer> queues = new LinkedHashMap<>();
    private boolean strictPriority;
    private final Map<String, Integer> concurrencyLimits = new LinkedHashMap<>();
    private final Map<String, RateLimit> rateLimits = new LinkedHashMap<>();
    private RetryDelay retryDelay = RetryDelay.EXPONENTIAL;
    private Predicate<Throwable> isFailure = error -> true;
    private @Nullable ErrorHandler errorHandler;
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    private @Nullable HealthListener healthListener;
    private final List<ServerListener> listeners = new ArrayList<>();
    private final List<Middleware> middleware = new ArrayList<>();
    private Duration healthCheckInterval = DEFAULT_HEALTH_CHECK_INTERVAL;
    private Duration delayedTaskCheckInterval = DEFAULT_DELAYED_TASK_CHECK_INTERVAL;
    private Duration taskCheckInterval = DEFAULT_TASK_CHECK_INTERVAL;
    private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
    private Duration recovererInterval = DEFAULT_RECOVERER_INTERVAL;
    private Duration groupGracePeriod = DEFAULT_GROUP_GRACE_PERIOD;
    private Duration groupMaxDelay = Duration.ZERO;
    private int groupMaxSize;
    private @Nullable GroupAggregator groupAggregator;
    private Duration janitorInterval = DEFAULT_JANITOR_INTERVAL;
    private int janitorBatchSize = DEFAULT_JANITOR_BATCH_SIZE;
    private @Nullable ThreadFactory threadFactory;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Number of tasks processed at once; default the number of CPUs; ≥ 1. */
    public Builder concurrency(int concurrency) {
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be >= 1, was " + concurrency);
      }
      this.concurrency = concurrency;
      return this;
    }

    /**
     * Adds a queue with a priority (≥ 1). With weighted selection (the default) a queue is tried
     * first in proportion to its priority; with {@link #strictPriority} higher always goes first.
     * Without any queue the server serves {@code "default"}.
     */
    public Builder queue(String name, int priority) {
      Checks.queue(name);
      if (priority < 1) {
        throw new IllegalArgumentException(
            "priority of queue \"" + name + "\" must be >= 1, was " + priority);
      }
      queues.put(name, priority);
      return this;
    }

    /**
     * Limits how many tasks of {@code queue} are active at once across the whole fleet: every
     * jasynq server on the queue, whatever its own concurrency. The server writes the limit to
     * Redis when it starts (replacing one set at run time with {@link
     * Inspector#setConcurrencyLimit}); the dequeue checks it there, counting the queue's active
     * tasks, Go servers' too. Go servers do not honour it. The queue must be one this server
     * serves.
     */
    public Builder queueConcurrencyLimit(String queue, int limit) {
      Checks.queue(queue);
      if (limit < 1) {
        throw new IllegalArgumentException(
            "concurrency limit of queue \"" + queue + "\" must be >= 1, was " + limit);
      }
      concurrencyLimits.put(queue, limit);
      return this;
    }

    /**
     * Limits how many tasks of {@code queue} start per period across the whole fleet (a token
     * bucket in Redis, spent by the dequeue; see {@link RateLimit}). A task over the limit waits in
     * pending. Written to Redis when the server starts, as {@link #queueConcurrencyLimit}; Go
     * servers do not honour it. The queue must be one this server serves.
     */
    public Builder queueRateLimit(String queue, RateLimit limit) {
      Checks.queue(queue);
      rateLimits.put(queue, Objects.requireNonNull(limit, "limit == null"));
      return this;
    }

    /** Empties higher-priority queues first; default false (weighted). */
    public Builder strictPriority(boolean strict) {
      this.strictPriority = strict;
      return this;
    }

    /** The retry back-off; default {@link RetryDelay#EXPONENTIAL}. */
    public Builder retryDelay(RetryDelay retryDelay) {
      this.retryDelay = Objects.requireNonNull(retryDelay, "retryDelay == null");
      return this;
    }

    /** Which errors count as failures; default all. A non-failure retries without counting. */
    public Builder isFailure(Predicate<Throwable> isFailure) {
      this.isFailure = Objects.requireNonNull(isFailure, "isFailure == null");
      return this;
    }

    /** Called for every failed attempt; default none. */
    public Builder errorHandler(ErrorHandler errorHandler) {
      this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler == null");
      return this;
    }

    /** How long shutdown waits for handlers; default 8 s; ≥ 0. */
    public Builder shutdownTimeout(Duration timeout) {
      this.shutdownTimeout = Checks.notNegative("shutdownTimeout", timeout);
      return this;
    }

    /** Reports Redis health changes; default none (no health checks run). */
    public Builder healthListener(HealthListener listener) {
      this.healthListener = Objects.requireNonNull(listener, "healthListener == null");
      return this;
    }

    /**
     * Adds a listener told of every task the server starts and finishes, recoveries, forwards,
     * status, health and Redis errors (see {@link ServerListener}); default none. Listeners are
     * called in the order added. With a listener, health checks run as with a {@link
     * #healthListener}.
     */
    public Builder listener(ServerListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener == null"));
      return this;
    }

    /**
     * Adds middleware around the handler the server is started with, whatever it is (a {@link
     * ServeMux}'s own middleware then runs inside); default none. The first added runs outermost,
     * as with {@link ServeMux#use}; the server-side twin of {@link Client.Builder#interceptor}.
     */
    public Builder middleware(Middleware... middleware) {
      for (Middleware m : middleware) {
        this.middleware.add(Objects.requireNonNull(m, "middleware == null"));
      }
      return this;
    }

    /** Health-check interval; default 15 s. */
    public Builder healthCheckInterval(Duration interval) {
      this.healthCheckInterval = positive("healthCheckInterval", interval);
      return this;
    }

    /** Forwarder interval; default 5 s. */
    public Builder delayedTaskCheckInterval(Duration interval) {
      this.delayedTaskCheckInterval = positive("delayedTaskCheckInterval", interval);
      return this;
    }

    /** Idle poll interval when every queue is empty; default 1 s. */
    public Builder taskCheckInterval(Duration interval) {
      this.taskCheckInterval = positive("taskCheckInterval", interval);
      return this;
    }

    /**
     * Heartbeat interval; default 5 s. Leases last 30 s, so it must stay well below that: at most
     * 10 s.
     */
    public Builder heartbeatInterval(Duration interval) {
      positive("heartbeatInterval", interval);
      if (interval.compareTo(Duration.ofSeconds(10)) > 0) {
        throw new IllegalArgumentException(
            "heartbeatInterval must be at most 10s (leases last 30s), was " + interval);
      }
      this.heartbeatInterval = interval;
      return this;
    }

    /** Recoverer interval; default 1 min. */
    public Builder recovererInterval(Duration interval) {
      this.recovererInterval = positive("recovererInterval", interval);
      return this;
    }

    /** How long a group waits for more tasks after its newest; default 1 min; ≥ 1 s. */
    public Builder groupGracePeriod(Duration period) {
      this.groupGracePeriod = Checks.atLeastOneSecond("groupGracePeriod", period);
      return this;
    }

    /** Longest a group waits after its oldest task; zero (default) for no limit. */
    public Builder groupMaxDelay(Duration delay) {
      this.groupMaxDelay = Checks.notNegative("groupMaxDelay", delay);
      return this;
    }

    /** Most tasks aggregated at once; 0 (default) for no limit. */
    public Builder groupMaxSize(int size) {
      if (size < 0) {
        throw new IllegalArgumentException("groupMaxSize must be >= 0, was " + size);
      }
      this.groupMaxSize = size;
      return this;
    }

    /** Aggregates grouped tasks; default none (grouped tasks wait). */
    public Builder groupAggregator(GroupAggregator aggregator) {
      this.groupAggregator = Objects.requireNonNull(aggregator, "groupAggregator == null");
      return this;
    }

    /** Janitor interval; default 8 s. */
    public Builder janitorInterval(Duration interval) {
      this.janitorInterval = positive("janitorInterval", interval);
      return this;
    }

    /** Completed tasks deleted per janitor batch; default 100; 1–1000. */
    public Builder janitorBatchSize(int size) {
      if (size < 1 || size > 1000) {
        throw new IllegalArgumentException("janitorBatchSize must be in 1..1000, was " + size);
      }
      this.janitorBatchSize = size;
      return this;
    }

    /**
     * Makes the worker threads; default daemon platform threads named {@code jasynq-worker-N}. On
     * Java 21+ pass {@code Thread.ofVirtual().name("jasynq-worker-", 0).factory()} for virtual
     * threads.
     */
    public Builder threadFactory(ThreadFactory factory) {
      this.threadFactory = Objects.requireNonNull(factory, "threadFactory == null");
      return this;
    }

    /** The clock; default the system UTC clock. For tests. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** The configuration. */
    public ServerConfig build() {
      served("queueConcurrencyLimit", concurrencyLimits.keySet());
      served("queueRateLimit", rateLimits.keySet());
      return new ServerConfig(this);
    }

    private void served(String option, java.util.Set<String> limited) {
      for (String queue : limited) {
        boolean served =
            queues.isEmpty() ? queue.equals(TaskOption.DEFAULT_QUEUE) : queues.containsKey(queue);
        if (!served) {
          throw new IllegalArgumentException(
              option
                  + " names queue \""
                  + queue
                  + "\", which this server does not serve; add it with queue(name, priority)");
        }
      }
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name + " == null");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }
  }
}
