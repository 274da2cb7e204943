package io.jasynq;

import io.jasynq.internal.Closer;
import io.jasynq.internal.Lifecycle;
import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.EnqueueOutcome;
import io.jasynq.internal.broker.ReplicaWait;
import io.jasynq.internal.connection.EventLoops;
import io.jasynq.redis.RedisConnector;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Enqueues tasks. Tasks are written exactly as Go Asynq writes them, so Asynq servers, its CLI and
 * its web UI see them as their own.
 *
 * <pre>{@code
 * try (Client client = Client.connect("redis://localhost:6379")) {
 *   TaskInfo info = client.enqueue(Task.of("email:welcome", "{\"user\":42}"),
 *       TaskOption.queue("critical"), TaskOption.maxRetry(5));
 * }
 * }</pre>
 *
 * <p><b>Ownership.</b> {@link #connect(String)} creates its own Redis connection and closes it on
 * {@link #close()}. {@link #create(RedisConnector)} uses a connector the caller owns: the client
 * closes only the connection it opened from it (none, if the connector lends a borrowed connection)
 * and never the connector, its Lettuce client or resources.
 *
 * <p><b>Lifecycle.</b> {@link #close()} waits for enqueues in flight (up to the command timeout),
 * then releases what the client owns in reverse order. It is idempotent, thread-safe and never
 * throws. Afterwards every call throws {@link IllegalStateException} ("client is closed"); {@link
 * #toString()} still works.
 *
 * <p>Thread-safe: share one client across the application.
 *
 * @since 0.1
 */
public final class Client implements AutoCloseable {
  /** Default largest payload the client accepts: 16 MiB. */
  public static final int DEFAULT_MAX_PAYLOAD_SIZE = 16 * 1024 * 1024;

  // Immutable after construction.
  private final String description;
  private final Clock clock;
  private final int maxPayloadSize;
  private final Broker broker;
  private final Closer closer;
  private final Duration drainTimeout;
  private final List<EnqueueInterceptor> interceptors;

  // Shared.
  private final Lifecycle lifecycle = Lifecycle.open("client");
  private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();

  private Client(Builder b) {
    BrokerHandle handle = BrokerHandle.open(b.uri, b.connector, b.replicaWait);
    this.broker = handle.broker;
    this.closer = handle.closer;
    this.drainTimeout = handle.source.commandTimeout();
    this.description = handle.source.description();
    this.clock = b.clock;
    this.maxPayloadSize = b.maxPayloadSize;
    this.interceptors = List.copyOf(b.interceptors);
  }

  /**
   * A client with its own connection to {@code redisUri} ({@code redis://[[user]:password@]host
   * [:port][/db]}, {@code rediss://…}), closed by {@link #close()}.
   *
   * @throws IllegalArgumentException if the URI is invalid
   * @throws JasynqException if Redis cannot be reached
   */
  public static Client connect(String redisUri) {
    return builder().uri(redisUri).build();
  }

  /**
   * A client on the caller's connector, which it never closes.
   *
   * @throws IllegalStateException if the connector is closed
   * @throws JasynqException if Redis cannot be reached
   */
  public static Client create(RedisConnector connector) {
    return builder().connector(connector).build();
  }

  /** A builder, for the clock and payload limit. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Enqueues {@code task} with its own options and then {@code options} (the last of a kind wins)
   * and returns what was stored.
   *
   * @throws IllegalArgumentException for invalid input (nothing is written)
   * @throws DuplicateTaskException if a unique task's lock is held (nothing is written)
   * @throws TaskIdConflictException if the queue already has a task with this ID (nothing is
   *     written)
   * @throws NotReplicatedException with {@link Builder#waitForReplicas}, if too few replicas
   *     confirmed the task in time (it may still exist)
   * @throws JasynqException if Redis fails or does not answer within the command timeout
   * @throws IllegalStateException if the client is closed
   */
  public TaskInfo enqueue(Task task, TaskOption... options) {
    return broker.await(enqueueAsync(task, options));
  }

  /**
   * Like {@link #enqueue(Task, TaskOption...)}, without waiting. Invalid input throws at once;
   * Redis outcomes complete the future (exceptionally with the same exceptions).
   */
  public CompletableFuture<TaskInfo> enqueueAsync(Task task, TaskOption... options) {
    Objects.requireNonNull(task, "task == null");
    Objects.requireNonNull(options, "options == null");
    ensureOpen();
    return track(
        Intercepted.run(
            interceptors,
            task,
            List.of(options),
            1,
            t -> {
              EnqueuePlan plan = plan(t, options);
              return outcomeOf(plan, broker.enqueues().enqueue(plan.request));
            }));
  }

  /**
   * Enqueues many tasks in one pipelined round trip and returns one result per task, in order.
   * {@code options} apply to every task after its own. Each task is atomic on its own; a task that
   * fails (invalid, duplicate, ID conflict) writes nothing and does not affect the others. Unlike
   * Asynq, unique and grouped tasks are allowed and an ID conflict is reported as such.
   *
   * @throws IllegalStateException if the client is closed
   */
  public List<BatchResult> enqueueBatch(List<Task> tasks, TaskOption... options) {
    return broker.await(enqueueBatchAsync(tasks, options));
  }

  /** Like {@link #enqueueBatch(List, TaskOption...)}, without waiting. */
  public CompletableFuture<List<BatchResult>> enqueueBatchAsync(
      List<Task> tasks, TaskOption... options) {
    Objects.requireNonNull(tasks, "tasks == null");
    Objects.requireNonNull(options, "options == null");
    ensureOpen();
    List<TaskOption> callOptions = List.of(options);
    Pipeline pipeline = new Pipeline();
    List<CompletableFuture<BatchResult>> results = new ArrayList<>(tasks.size());
    for (int i = 0; i < tasks.size(); i++) {
      Task task = tasks.get(i);
      CompletableFuture<TaskInfo> info;
      try {
        if (task == null) {
          throw new NullPointerException("task at index " + i + " == null");
        }
        info =
            Intercepted.run(
                interceptors, task, callOptions, tasks.size(), t -> pipeline.add(t, options));
      } catch (RuntimeException e) {
        info = CompletableFuture.failedFuture(e);
      }
      results.add(
          info.handle(
              (ok, error) ->
                  error == null
                      ? BatchResult.success(task, ok)
                      : BatchResult.failure(task, asRuntime(error))));
    }
    pipeline.send();
    CompletableFuture<List<BatchResult>> all =
        CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0]))
            .thenApply(v -> results.stream().map(CompletableFuture::join).toList());
    return track(all);
  }

  /**
   * The tasks of one batch that reached Redis's side of the interceptors, sent in one pipelined
   * round trip once every task has been through them. A task that proceeds later (an interceptor
   * that defers) is enqueued on its own.
   */
  private final class Pipeline {
    private final List<EnqueuePlan> plans = new ArrayList<>();
    private final List<CompletableFuture<TaskInfo>> futures = new ArrayList<>();
    private boolean sent; // guarded by this

    synchronized CompletableFuture<TaskInfo> add(Task task, TaskOption[] options) {
      EnqueuePlan plan = EnqueuePlan.of(task, options, clock.instant(), maxPayloadSize);
      if (sent) {
        return outcomeOf(plan, broker.enqueues().enqueue(plan.request));
      }
      CompletableFuture<TaskInfo> future = new CompletableFuture<>();
      plans.add(plan);
      futures.add(future);
      return future;
    }

    synchronized void send() {
      sent = true;
      if (plans.isEmpty()) {
        return;
      }
      List<CompletableFuture<EnqueueOutcome>> outcomes;
      try {
        outcomes = broker.enqueues().enqueueBatch(plans.stream().map(p -> p.request).toList());
      } catch (RuntimeException e) {
        futures.forEach(f -> f.completeExceptionally(e));
        return;
      }
      for (int j = 0; j < plans.size(); j++) {
        CompletableFuture<TaskInfo> future = futures.get(j);
        outcomeOf(plans.get(j), outcomes.get(j))
            .whenComplete(
                (info, error) -> {
                  if (error != null) {
                    future.completeExceptionally(error);
                  } else {
                    future.complete(info);
                  }
                });
      }
    }
  }

  /**
   * Checks that Redis answers.
   *
   * @throws JasynqException if it does not within the command timeout
   */
  public void ping() {
    ensureOpen();
    broker.await(track(broker.ping()));
  }

  /** Whether {@link #close()} has been called. */
  public boolean isClosed() {
    return lifecycle.isClosed();
  }

  /**
   * Waits for enqueues in flight (up to the command timeout), then closes what this client owns.
   * Idempotent, thread-safe, never throws; a second caller waits until the first has finished.
   *
   * <p>Called from a completion callback (on one of Lettuce's event-loop threads, where waiting for
   * the connection to close would wait for the thread itself), it returns at once and the close
   * finishes on a short-lived {@code jasynq-close} thread.
   */
  @Override
  public void close() {
    if (EventLoops.onNettyThread()) {
      lifecycle.closeInBackground(this::release, "jasynq-close");
    } else {
      lifecycle.close(this::release);
    }
  }

  private void release() {
    try {
      CompletableFuture<?>[] pending = inFlight.toArray(new CompletableFuture<?>[0]);
      if (pending.length > 0) {
        CompletableFuture<Void> all = CompletableFuture.allOf(pending).exceptionally(e -> null);
        long end = System.nanoTime() + drainTimeout.toNanos();
        // In slices: once the connection is gone for good (its owner closed it first), what is
        // still in flight will never be answered, so stop waiting.
        while (!all.isDone() && System.nanoTime() - end < 0 && !broker.connectionGone(null)) {
          try {
            all.get(100, TimeUnit.MILLISECONDS);
          } catch (TimeoutException e) {
            // look again
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Timed out: what is still in flight fails when the connection closes.
    } finally {
      closer.close();
    }
  }

  @Override
  public String toString() {
    String state = lifecycle.state() == Lifecycle.State.RUNNING ? "open" : lifecycle.toString();
    return "Client[" + description + ", " + state + "]";
  }

  private EnqueuePlan plan(Task task, TaskOption[] options) {
    return EnqueuePlan.of(task, options, clock.instant(), maxPayloadSize);
  }

  /** The info of an enqueued task, or the exception for an enqueue that wrote nothing. */
  static TaskInfo result(EnqueuePlan plan, EnqueueOutcome outcome) {
    return switch (outcome) {
      case ENQUEUED -> plan.info;
      case DUPLICATE ->
          throw new DuplicateTaskException(plan.request.queue(), plan.request.uniqueKey());
      case ID_CONFLICT ->
          throw new TaskIdConflictException(plan.request.queue(), plan.request.id());
    };
  }

  /**
   * The TaskInfo of an enqueue once Redis answered, failed with the exception itself (not wrapped
   * in a CompletionException), so interceptors see {@link DuplicateTaskException} and the like.
   */
  private static CompletableFuture<TaskInfo> outcomeOf(
      EnqueuePlan plan, CompletableFuture<EnqueueOutcome> reply) {
    CompletableFuture<TaskInfo> info = new CompletableFuture<>();
    reply.whenComplete(
        (outcome, error) -> {
          if (error != null) {
            info.completeExceptionally(asRuntime(error));
            return;
          }
          try {
            info.complete(result(plan, outcome));
          } catch (RuntimeException e) {
            info.completeExceptionally(e);
          }
        });
    return info;
  }

  private <T> CompletableFuture<T> track(CompletableFuture<T> future) {
    inFlight.add(future);
    future.whenComplete((v, e) -> inFlight.remove(future));
    return future;
  }

  private void ensureOpen() {
    lifecycle.ensureOpen();
  }

  private static RuntimeException asRuntime(Throwable error) {
    Throwable e = error;
    while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e instanceof RuntimeException r
        ? r
        : new JasynqException(String.valueOf(e.getMessage()), e);
  }

  /** Builds a {@link Client}. Give exactly one of {@link #uri} and {@link #connector}. */
  public static final class Builder {
    private @Nullable String uri;
    private @Nullable RedisConnector connector;
    private Clock clock = Clock.systemUTC();
    private int maxPayloadSize = DEFAULT_MAX_PAYLOAD_SIZE;
    private @Nullable ReplicaWait replicaWait;
    private final List<EnqueueInterceptor> interceptors = new ArrayList<>();

    private Builder() {}

    /**
     * Adds an interceptor around every enqueue, single and batched (see {@link
     * EnqueueInterceptor}); default none. The first added runs outermost, as server middleware
     * does.
     */
    public Builder interceptor(EnqueueInterceptor interceptor) {
      interceptors.add(Objects.requireNonNull(interceptor, "interceptor == null"));
      return this;
    }

    /**
     * Durable enqueue: an enqueue (single or batch) succeeds only once {@code replicas} replicas
     * have acknowledged the task, checked with Redis's {@code WAIT replicas timeout} right after
     * the write, on the same connection. Default: off (an enqueue succeeds when the master has the
     * task).
     *
     * <p>Why: Redis replicates asynchronously, so a task the master acknowledged can be lost when
     * the master fails before its replica has it, or when Sentinel promotes the replica while the
     * old master still accepts writes. With this option such an enqueue fails with {@link
     * NotReplicatedException} instead of succeeding; <b>the task may still exist</b> (the master
     * did write it), so enqueue it again with the same {@link TaskOption#taskId task ID} if it must
     * exist: {@link TaskIdConflictException} then means it survived. The cost is one more round
     * trip per enqueue (one per batch), and each WAIT holds the connection's later commands until
     * the replicas answer.
     *
     * <p>On Redis Cluster the task's script and its {@code WAIT} go to the master that owns the
     * task's queue slot, over the connection the cluster connection routes that slot's writes
     * through; a batch sends one {@code WAIT} per master it wrote to. The replicas counted are that
     * master's. If that connection reconnected, or was closed because the topology changed, between
     * the write and the {@code WAIT}, the enqueue fails with {@link NotReplicatedException} rather
     * than succeeding unconfirmed.
     *
     * <p>This is the client's side only. A Server's acknowledgements (done, retry, archive) do not
     * wait: if a failover loses one, the task is still active on the new master and comes back
     * through lease recovery, so it runs again (at least once).
     *
     * @param replicas how many replicas must acknowledge, >= 1
     * @param timeout how long Redis waits for them, at least 1 ms and shorter than the command
     *     timeout
     * @throws IllegalArgumentException naming the bad value
     */
    public Builder waitForReplicas(int replicas, Duration timeout) {
      this.replicaWait = new ReplicaWait(replicas, timeout);
      return this;
    }

    /** Connect to this URI with a connection the client owns. */
    public Builder uri(String uri) {
      this.uri = Objects.requireNonNull(uri, "uri == null");
      return this;
    }

    /** Use the caller's connector, which the client never closes. */
    public Builder connector(RedisConnector connector) {
      this.connector = Objects.requireNonNull(connector, "connector == null");
      return this;
    }

    /** The clock that stamps enqueue times; default the system UTC clock. For tests. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** The largest payload accepted, in bytes; default {@link #DEFAULT_MAX_PAYLOAD_SIZE}. */
    public Builder maxPayloadSize(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("maxPayloadSize must be >= 0, was " + bytes);
      }
      this.maxPayloadSize = bytes;
      return this;
    }

    /**
     * Builds and connects the client.
     *
     * @throws IllegalArgumentException if neither or both of uri and connector were given
     * @throws JasynqException if Redis cannot be reached
     */
    public Client build() {
      BrokerHandle.checkTarget(uri, connector);
      return new Client(this);
    }
  }
}
