package io.jasynq;

import io.jasynq.internal.Closer;
import io.jasynq.internal.Lifecycle;
import io.jasynq.internal.Signals;
import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.EnqueueOutcome;
import io.jasynq.internal.enqueue.EnqueueRequests;
import io.jasynq.internal.scheduler.SchedulerRuntime;
import io.jasynq.redis.RedisConnector;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Enqueues tasks periodically, on {@linkplain CronSpec cron specs}, as Go Asynq's scheduler does:
 * its entries and their enqueue history are written where {@code asynq cron ls}, {@code asynq cron
 * history} and the Inspector read them.
 *
 * <pre>{@code
 * try (Scheduler scheduler = Scheduler.connect("redis://localhost:6379")) {
 *   scheduler.register("0 * * * *", Task.of("stats:refresh"), TaskOption.queue("low"));
 *   scheduler.register("CRON_TZ=Europe/Berlin 0 9 * * MON-FRI", Task.of("report:daily"));
 *   scheduler.run(); // until SIGINT or SIGTERM
 * }
 * }</pre>
 *
 * <p><b>Several instances.</b> Unlike Asynq's, schedulers with the same entry (same spec, task,
 * options and location), typically one per replica of an application, enqueue each tick once
 * between them, not once each: the tick is checked and recorded in Redis in the same atomic step as
 * the enqueue. Each scheduler still shows its own entries, and the one that enqueued a tick records
 * it in its entry's history. Ticks missed while no instance ran follow {@link
 * SchedulerConfig.MissedTickPolicy} (skipped by default). Overlap is harmless: when the scheduler
 * falls behind by several ticks (a long pause), it enqueues once, for the latest.
 *
 * <p><b>Redis trouble.</b> A tick Redis did not take (unreachable, a Sentinel or Cluster failover
 * under way) stays due and is tried again every pass (100 ms) until it lands or the entry's next
 * tick is due; the fire record makes a retry of a tick that did land a no-op. After a failover the
 * scheduler follows the new master without a restart. Without a replica acknowledging the write, a
 * tick acknowledged by a master that fails over just after can be lost with that master (Redis
 * replicates asynchronously); the new master never holds it twice.
 *
 * <p><b>Lifecycle.</b> {@link #register} works before and after {@link #start()}. The entries are
 * first written at start, then every heartbeat interval. {@link #close()} stops the scheduler,
 * removes its entries and the history of the entries still registered (as Asynq's Shutdown), and
 * closes what the scheduler owns. It is idempotent, thread-safe, never throws and logs nothing
 * above DEBUG. Afterwards calls throw {@link IllegalStateException}; {@link #toString()} still
 * works.
 *
 * <p><b>Exit.</b> A started scheduler closes itself when the JVM exits (SIGINT, SIGTERM, or {@code
 * main} returning with only daemon threads left), through a JVM shutdown hook that {@link #start()}
 * installs and {@link #close()} removes: its entries leave {@code asynq cron ls} at once, not when
 * they expire. So {@code scheduler.start(); server.run(mux);} stops both on SIGTERM, each on its
 * own hook, side by side.
 *
 * <p><b>Ownership</b> is the {@link Client}'s: {@link #connect} owns its connection, {@link
 * #create} never closes the caller's connector. Thread-safe.
 *
 * @since 0.1
 */
public final class Scheduler implements AutoCloseable {
  private final SchedulerConfig config;
  private final Broker broker;
  private final Closer closer;
  private final String description;
  private final SchedulerRuntime runtime;
  private final Lifecycle lifecycle = Lifecycle.startable("scheduler");
  private volatile Signals.@Nullable ExitHook exitHook; // installed by start, removed by close

  private Scheduler(
      @Nullable RedisConnector connector, @Nullable String uri, SchedulerConfig config) {
    this.config = Objects.requireNonNull(config, "config == null");
    BrokerHandle handle = BrokerHandle.open(uri, connector);
    this.broker = handle.broker;
    this.closer = handle.closer;
    this.description = handle.source.description();
    this.runtime =
        new SchedulerRuntime(
            broker,
            config.clock(),
            config.location(),
            config.heartbeatInterval(),
            config.missedTickPolicy() == SchedulerConfig.MissedTickPolicy.FIRE_ONCE,
            Client.DEFAULT_MAX_PAYLOAD_SIZE,
            new Hooks(config));
  }

  /**
   * A scheduler with the default configuration and its own connection to {@code redisUri}.
   *
   * @throws IllegalArgumentException if the URI is invalid
   * @throws JasynqException if Redis cannot be reached
   */
  public static Scheduler connect(String redisUri) {
    return connect(redisUri, SchedulerConfig.defaults());
  }

  /**
   * A scheduler with its own connection to {@code redisUri}, closed by {@link #close()}.
   *
   * @throws IllegalArgumentException if the URI is invalid
   * @throws JasynqException if Redis cannot be reached
   */
  public static Scheduler connect(String redisUri, SchedulerConfig config) {
    Objects.requireNonNull(redisUri, "redisUri == null");
    return new Scheduler(null, redisUri, config);
  }

  /**
   * A scheduler with the default configuration on the caller's connector, which it never closes.
   *
   * @throws IllegalStateException if the connector is closed
   */
  public static Scheduler create(RedisConnector connector) {
    return create(connector, SchedulerConfig.defaults());
  }

  /**
   * A scheduler on the caller's connector, which it never closes.
   *
   * @throws IllegalStateException if the connector is closed
   */
  public static Scheduler create(RedisConnector connector, SchedulerConfig config) {
    Objects.requireNonNull(connector, "connector == null");
    return new Scheduler(connector, null, config);
  }

  /**
   * Registers {@code task} to be enqueued on {@code cronSpec} with {@code options} (applied after
   * the task's own, the last of a kind winning) and returns the entry's ID, a UUID.
   *
   * @throws IllegalArgumentException for an invalid spec (naming the field and why) or options that
   *     an enqueue would reject (a payload over 16 MiB, a deadline already past)
   * @throws IllegalStateException if the scheduler is closed
   */
  public String register(String cronSpec, Task task, TaskOption... options) {
    Objects.requireNonNull(cronSpec, "cronSpec == null");
    Objects.requireNonNull(task, "task == null");
    Objects.requireNonNull(options, "options == null");
    for (TaskOption o : options) {
      Objects.requireNonNull(o, "option == null");
    }
    ensureOpen();
    return runtime.register(cronSpec, task, List.of(options));
  }

  /**
   * Removes an entry: it is no longer enqueued, and it leaves Redis at the next heartbeat (at once
   * when running).
   *
   * @throws IllegalArgumentException if no entry has this ID
   * @throws IllegalStateException if the scheduler is closed
   */
  public void unregister(String entryId) {
    Objects.requireNonNull(entryId, "entryId == null");
    ensureOpen();
    if (!runtime.unregister(entryId)) {
      throw new IllegalArgumentException("no scheduler entry with ID \"" + entryId + "\"");
    }
  }

  /** The IDs of the registered entries, in registration order. */
  public List<String> entryIds() {
    return runtime.entryIds();
  }

  /**
   * Writes the entries and starts enqueuing, on threads of its own, and returns. Until {@link
   * #close()}, a JVM shutdown hook closes the scheduler when the JVM exits (see the class comment).
   *
   * @throws IllegalStateException if the scheduler is already running or is closed, or the JVM is
   *     shutting down
   */
  public void start() {
    lifecycle.start();
    Signals.ExitHook hook = Signals.install(this::close, "jasynq-scheduler-signal");
    if (hook == null) {
      lifecycle.startFailed();
      throw new IllegalStateException("the JVM is shutting down; the scheduler does not start");
    }
    exitHook = hook;
    try {
      hook.guard(runtime::start);
    } catch (RuntimeException | Error e) {
      exitHook = null;
      hook.cancel();
      throw e;
    }
  }

  /**
   * Starts, then blocks until the JVM is asked to exit (SIGINT, SIGTERM) or another thread closes
   * the scheduler, and closes it. An interrupt closes it too.
   *
   * @throws IllegalStateException if the scheduler is already running or is closed
   */
  public void run() {
    start();
    try {
      lifecycle.closed().await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
    }
  }

  /**
   * Checks that Redis answers.
   *
   * @throws JasynqException if it does not within the command timeout
   * @throws IllegalStateException if the scheduler is closed
   */
  public void ping() {
    ensureOpen();
    broker.await(broker.ping());
  }

  /** The configuration. */
  public SchedulerConfig config() {
    return config;
  }

  /** This scheduler's ID, {@code host:pid:uuid}, as in {@code asynq:schedulers:{…}}. */
  public String schedulerId() {
    return runtime.schedulerId();
  }

  /** Whether {@link #close()} has been called. */
  public boolean isClosed() {
    return lifecycle.isClosed();
  }

  /**
   * Stops enqueuing (waiting for an enqueue under way), removes the scheduler's entries and the
   * history of its registered entries from Redis, and closes what the scheduler owns. Idempotent
   * and thread-safe: later callers wait for the first. Never throws. Called from a pre- or
   * post-enqueue callback, it returns at once and the scheduler closes when the callback returns.
   */
  @Override
  public void close() {
    Runnable release =
        () -> {
          try {
            Signals.ExitHook hook = exitHook;
            if (hook != null) {
              hook.cancel();
            }
            runtime.shutdown();
          } finally {
            closer.close();
          }
        };
    if (runtime.inPass()) {
      // Called from a callback: stopping waits for the pass, so it cannot run on this thread. The
      // scheduler counts as closed at once (later calls fail fast), and no one waits here.
      lifecycle.closeInBackground(release, "jasynq-scheduler-close");
      return;
    }
    lifecycle.close(release);
  }

  @Override
  public String toString() {
    return "Scheduler[" + description + ", " + lifecycle + ", id=" + runtime.schedulerId() + "]";
  }

  /** One loop pass at {@code now}, on the caller's thread. For tests. */
  void runOnce(Instant now) {
    ensureOpen();
    runtime.runOnce(now);
  }

  /** One heartbeat at {@code now}, on the caller's thread. For tests. */
  void beat(Instant now) {
    ensureOpen();
    runtime.beat(now);
  }

  private void ensureOpen() {
    lifecycle.ensureOpen();
  }

  /** The user's callbacks, with outcomes turned into what a Client reports. */
  private static final class Hooks implements SchedulerRuntime.Hooks {
    private final @Nullable BiConsumer<Task, List<TaskOption>> pre;
    private final @Nullable BiConsumer<TaskInfo, RuntimeException> post;

    Hooks(SchedulerConfig config) {
      this.pre = config.preEnqueue();
      this.post = config.postEnqueue();
    }

    @Override
    public void beforeEnqueue(Task task, List<TaskOption> options) {
      if (pre != null) {
        pre.accept(task, options);
      }
    }

    @Override
    public void afterEnqueue(
        EnqueueRequests.Prepared prepared, EnqueueOutcome outcome, RuntimeException error) {
      if (post == null) {
        return;
      }
      if (error != null) {
        post.accept(null, error);
        return;
      }
      TaskInfo info;
      try {
        info = Client.result(EnqueuePlan.of(null, prepared), outcome);
      } catch (RuntimeException e) {
        post.accept(null, e);
        return;
      }
      post.accept(info, null);
    }
  }
}
