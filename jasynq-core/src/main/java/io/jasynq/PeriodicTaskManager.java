package io.jasynq;

import io.jasynq.internal.Lifecycle;
import io.jasynq.internal.Signals;
import io.jasynq.internal.runtime.PeriodicPart;
import io.jasynq.internal.runtime.PeriodicRunner;
import io.jasynq.internal.runtime.ThreadFactoryBuilder;
import io.jasynq.internal.scheduler.ConfigSync;
import io.jasynq.redis.RedisConnector;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link Scheduler}'s entries in step with a {@link PeriodicTaskConfigProvider}, as Asynq's
 * PeriodicTaskManager does (wire-format §7.3): at start it registers every config; then every sync
 * interval it reads the configs again, unregisters entries whose config went away and registers new
 * ones. A config that did not change keeps its entry ID, and so its history.
 *
 * <pre>{@code
 * PeriodicTaskConfigProvider provider = () -> List.of(
 *     PeriodicTaskConfig.of("@every 30s", Task.of("feeds:poll")),
 *     PeriodicTaskConfig.of("0 3 * * *", Task.of("db:vacuum"), TaskOption.queue("low")));
 * try (PeriodicTaskManager manager = PeriodicTaskManager.builder(provider)
 *     .uri("redis://localhost:6379").build()) {
 *   manager.run(); // until SIGINT or SIGTERM
 * }
 * }</pre>
 *
 * <p><b>Invalid configs.</b> At start, a provider that throws or returns a null config fails {@link
 * #start()}; a config whose spec or options are invalid is logged and skipped. At a sync, a
 * provider that throws or returns a null config is logged and the round is skipped (the entries
 * stay as they are).
 *
 * <p><b>Lifecycle</b> as the {@link Scheduler}'s, which the manager owns: {@link #close()} stops
 * the sync, then closes the scheduler. Thread-safe.
 *
 * @since 0.1
 */
public final class PeriodicTaskManager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PeriodicTaskManager.class);

  /** Default sync interval: 3 minutes, as Asynq. */
  public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofMinutes(3);

  private final PeriodicTaskConfigProvider provider;
  private final Duration syncInterval;
  private final Scheduler scheduler;
  private final ConfigSync sync;
  private final Lifecycle lifecycle = Lifecycle.startable("manager");
  private volatile @Nullable PeriodicRunner runner;

  private PeriodicTaskManager(Builder b) {
    this.provider = b.provider;
    this.syncInterval = b.syncInterval;
    this.scheduler =
        b.connector != null
            ? Scheduler.create(b.connector, b.schedulerConfig)
            : Scheduler.connect(Objects.requireNonNull(b.uri), b.schedulerConfig);
    this.sync =
        new ConfigSync(
            new ConfigSync.Target() {
              @Override
              public String register(String spec, Task task, List<TaskOption> options) {
                return scheduler.register(spec, task, options.toArray(new TaskOption[0]));
              }

              @Override
              public void unregister(String entryId) {
                scheduler.unregister(entryId);
              }
            });
  }

  /** A builder for a manager of {@code provider}'s configs. */
  public static Builder builder(PeriodicTaskConfigProvider provider) {
    return new Builder(provider);
  }

  /**
   * Reads the configs, registers them, starts the scheduler and the sync, and returns.
   *
   * @throws JasynqException if the provider throws (nothing is started)
   * @throws IllegalArgumentException if the provider returns null or a null config
   * @throws IllegalStateException if the manager is already running or is closed
   */
  public void start() {
    lifecycle.start();
    List<PeriodicTaskConfig> configs;
    try {
      configs = ConfigSync.validate(provider.getConfigs());
    } catch (IllegalArgumentException e) {
      lifecycle.startFailed();
      throw e;
    } catch (Exception e) {
      lifecycle.startFailed();
      throw new JasynqException("the periodic task config provider failed: " + e, e);
    }
    sync.sync(configs);
    scheduler.start();
    PeriodicRunner r = new PeriodicRunner(scheduler.config().clock(), threads());
    runner = r;
    r.schedule(syncPart(), syncInterval, syncInterval);
  }

  /**
   * Starts, then blocks until the JVM is asked to exit (SIGINT, SIGTERM) or another thread closes
   * the manager, and closes it. Installs a JVM shutdown hook for its duration.
   *
   * @throws JasynqException if the provider throws at start
   * @throws IllegalStateException if the manager is already running or is closed
   */
  public void run() {
    Signals.runUntilExit(this::start, this::close, lifecycle.closed());
  }

  /** The scheduler the entries live in; closed with the manager. */
  public Scheduler scheduler() {
    return scheduler;
  }

  /** Whether {@link #close()} has been called. */
  public boolean isClosed() {
    return lifecycle.isClosed();
  }

  /** Stops the sync, then closes the scheduler. Idempotent, thread-safe, never throws. */
  @Override
  public void close() {
    lifecycle.close(
        () -> {
          PeriodicRunner r = runner;
          try {
            if (r != null) {
              r.shutdown(Duration.ofSeconds(5));
            }
          } finally {
            scheduler.close();
          }
        });
  }

  @Override
  public String toString() {
    return "PeriodicTaskManager["
        + lifecycle
        + ", syncInterval="
        + syncInterval
        + ", "
        + scheduler
        + "]";
  }

  /**
   * One sync round on the caller's thread (the sync thread calls it every interval): returns how
   * many entries were added or removed, or -1 when the round was skipped.
   */
  int syncOnce() {
    List<PeriodicTaskConfig> configs;
    try {
      configs = ConfigSync.validate(provider.getConfigs());
    } catch (Exception e) {
      log.warn("periodic task configs could not be read; entries kept until the next sync", e);
      return -1;
    }
    return sync.sync(configs);
  }

  /** The entry ID of each registered config, by its identity hash. For tests. */
  Map<String, String> entriesByHash() {
    return sync.entries();
  }

  private ThreadFactoryBuilder threads() {
    String id = scheduler.schedulerId();
    return new ThreadFactoryBuilder(id.substring(id.lastIndexOf(':') + 1, id.lastIndexOf(':') + 9));
  }

  private PeriodicPart syncPart() {
    return new PeriodicPart() {
      @Override
      public String name() {
        return "periodic sync";
      }

      @Override
      public void runOnce(Instant now) {
        syncOnce();
      }
    };
  }

  /**
   * Builds a {@link PeriodicTaskManager}. Give exactly one of {@link #uri} and {@link #connector}.
   */
  public static final class Builder {
    private final PeriodicTaskConfigProvider provider;
    private @Nullable String uri;
    private @Nullable RedisConnector connector;
    private SchedulerConfig schedulerConfig = SchedulerConfig.defaults();
    private Duration syncInterval = DEFAULT_SYNC_INTERVAL;

    private Builder(PeriodicTaskConfigProvider provider) {
      this.provider = Objects.requireNonNull(provider, "provider == null");
    }

    /** Connect to this URI with a connection the manager owns. */
    public Builder uri(String uri) {
      this.uri = Objects.requireNonNull(uri, "uri == null");
      return this;
    }

    /** Use the caller's connector, which the manager never closes. */
    public Builder connector(RedisConnector connector) {
      this.connector = Objects.requireNonNull(connector, "connector == null");
      return this;
    }

    /** The scheduler's configuration; default {@link SchedulerConfig#defaults()}. */
    public Builder schedulerConfig(SchedulerConfig config) {
      this.schedulerConfig = Objects.requireNonNull(config, "schedulerConfig == null");
      return this;
    }

    /** How often the configs are read again; at least 1 s, default 3 minutes. */
    public Builder syncInterval(Duration interval) {
      Objects.requireNonNull(interval, "syncInterval == null");
      if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("syncInterval must be at least 1s, was " + interval);
      }
      this.syncInterval = interval;
      return this;
    }

    /**
     * Builds the manager and its scheduler.
     *
     * @throws IllegalArgumentException if neither or both of uri and connector were given, or the
     *     URI is invalid
     * @throws JasynqException if Redis cannot be reached
     */
    public PeriodicTaskManager build() {
      BrokerHandle.checkTarget(uri, connector);
      return new PeriodicTaskManager(this);
    }
  }
}
