package io.jasynq;

import io.jasynq.internal.Closer;
import io.jasynq.internal.Lifecycle;
import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.InspectQueries;
import io.jasynq.internal.broker.Keys;
import io.jasynq.internal.broker.LimitStore;
import io.jasynq.internal.broker.QueueMutations;
import io.jasynq.internal.broker.RedisNodes;
import io.jasynq.internal.broker.RegistryQueries;
import io.jasynq.internal.broker.TaskMutations;
import io.jasynq.internal.broker.TaskMutations.Action;
import io.jasynq.redis.RedisConnector;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Looks at queues, tasks, servers and schedulers, and changes them: the jasynq twin of Go Asynq's
 * {@code Inspector}. It reads and writes the same Redis data the same way, so its numbers,
 * orderings and pages match what Asynq's Inspector, its CLI and its web UI show for the same Redis.
 *
 * <pre>{@code
 * try (Inspector inspector = Inspector.connect("redis://localhost:6379")) {
 *   for (String queue : inspector.queues()) {
 *     QueueInfo q = inspector.queueInfo(queue);
 *     System.out.printf("%s: %d pending, %d failed today%n", queue, q.pending(), q.failedToday());
 *   }
 *   inspector.runAll("default", TaskState.ARCHIVED); // give dead tasks another chance
 * }
 * }</pre>
 *
 * <p><b>Errors.</b> A queue that is not registered gives {@link QueueNotFoundException}, a task
 * that is not in its queue {@link TaskNotFoundException}, a task in a state the call cannot act on
 * {@link TaskStateException}, a queue in the wrong state {@link QueueStateException}; bad arguments
 * are {@link IllegalArgumentException}s (before any I/O) and Redis failures {@link
 * JasynqException}s naming the operation.
 *
 * <p><b>Differences from Asynq</b> (wire format unchanged): bad pages are rejected instead of
 * reinterpreted (see {@link Page}); tasks that become pending get {@code pending_since}, so latency
 * stays right; archiving deletes the hashes of tasks trimmed from the archive; deleting pending or
 * aggregating tasks releases their unique locks too; groups left empty are unregistered; {@link
 * #deleteQueue} removes every key of the queue; servers and scheduler entries come back sorted.
 *
 * <p><b>Bad records never fail a read</b> (Asynq fails the call or shows an empty task). A listing
 * gives every listed ID a row; a record that cannot be read as it should (an ID without a task
 * hash, a task key that is not a hash, a hash without {@code msg} or with one that does not decode
 * or names another task, an undecodable server, worker, scheduler entry or event, a key of the
 * wrong type) is a row whose {@code problems()} say what is wrong, in the place its ID has in the
 * listing, so pages keep their sizes and Asynq's order. A key of the wrong type counts 0 in {@link
 * QueueInfo} and {@link DailyStats}, which name it in their problems; a memory estimate Redis
 * refuses is -1 ("unknown"). Each read logs its bad records at WARN. Only a registry of queues
 * ({@code asynq:queues}) that is not a set fails {@link #queues()}: there is nothing to list then.
 *
 * <p><b>Ownership and lifecycle.</b> {@link #connect(String)} creates its own Redis connection and
 * closes it on {@link #close()}; {@link #create(RedisConnector)} never closes the caller's
 * connector. {@link #close()} is idempotent, thread-safe and never throws; afterwards every call
 * throws {@link IllegalStateException} ("inspector is closed") and {@link #toString()} still works.
 * Thread-safe. Calls block until Redis answers or the command timeout passes.
 *
 * @since 0.1
 */
public final class Inspector implements AutoCloseable {
  // Immutable after construction.
  private final String description;
  private final Clock clock;
  private final Broker broker;
  private final InspectQueries queries;
  private final RegistryQueries registries;
  private final TaskMutations taskWrites;
  private final QueueMutations queueWrites;
  private final RedisNodes nodes;
  private final Closer closer;

  // Shared.
  private final Lifecycle lifecycle = Lifecycle.open("inspector");

  private Inspector(Builder b) {
    BrokerHandle handle = BrokerHandle.open(b.uri, b.connector);
    this.broker = handle.broker;
    this.closer = handle.closer;
    this.queries = new InspectQueries(broker);
    this.registries = new RegistryQueries(queries);
    this.taskWrites = new TaskMutations(queries);
    this.queueWrites = new QueueMutations(queries);
    this.nodes = new RedisNodes(broker);
    this.description = handle.source.description();
    this.clock = b.clock;
  }

  /**
   * An inspector with its own connection to {@code redisUri} (the URIs {@link RedisConnector}
   * accepts), closed by {@link #close()}.
   *
   * @throws IllegalArgumentException if the URI is invalid
   * @throws JasynqException if Redis cannot be reached
   */
  public static Inspector connect(String redisUri) {
    return builder().uri(redisUri).build();
  }

  /**
   * An inspector on the caller's connector, which it never closes.
   *
   * @throws IllegalStateException if the connector is closed
   * @throws JasynqException if Redis cannot be reached
   */
  public static Inspector create(RedisConnector connector) {
    return builder().connector(connector).build();
  }

  /** A builder, for the clock. */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------------------------------------
  // Reads

  /**
   * The names of every registered queue (the set {@code asynq:queues}), sorted. A name that is not
   * UTF-8 shows each bad byte as {@code \xNN}.
   *
   * @throws JasynqException if Redis fails, or {@code asynq:queues} is not a set
   */
  public List<String> queues() {
    ensureOpen();
    return queries.queues();
  }

  /**
   * A snapshot of {@code queue}: sizes per state, latency, counters, paused, memory estimate. Keys
   * of the wrong type count 0 and are named in {@link QueueInfo#problems()}; an estimate Redis
   * refuses is -1.
   *
   * @throws QueueNotFoundException if the queue is not registered
   * @throws IllegalArgumentException if the name is blank
   */
  public QueueInfo queueInfo(String queue) {
    return queries.queueInfo(queue(queue), now());
  }

  /**
   * The processed and failed counters of {@code queue} for the last {@code days} UTC days, today
   * first (missing days count 0; a bad counter counts 0 and is named in the day's problems).
   *
   * @param days how many days, today included; >= 1
   * @throws IllegalArgumentException if {@code days < 1} or the name is blank
   * @throws QueueNotFoundException if the queue is not registered
   */
  public List<DailyStats> history(String queue, int days) {
    return queries.history(queue(queue), InspectorValues.days(days), now());
  }

  /**
   * The groups of {@code queue} and how many tasks wait in each, sorted by name. An unknown queue
   * has no groups (as in Asynq, no error). Bad group keys are rows with problems (see {@link
   * GroupInfo}).
   */
  public List<GroupInfo> groups(String queue) {
    return queries.groups(queue(queue));
  }

  /**
   * One task, with its state as the task hash records it. Its {@link TaskInfo#nextProcessAt()} is
   * now (whole seconds) for pending tasks and the due time for scheduled and retry ones. A task
   * whose records are bad is returned with its {@linkplain TaskInfo#problems() problems}, in the
   * state its hash names or else the state whose list or set holds its ID.
   *
   * @throws QueueNotFoundException if the queue is not registered
   * @throws TaskNotFoundException if the queue has no task {@code id}
   */
  public TaskInfo taskInfo(String queue, String id) {
    return InspectorValues.info(queries.taskInfo(queue(queue), text("id", id), now()));
  }

  /**
   * One page of the tasks of {@code queue} in {@code state}, oldest first: pending and active in
   * the order they will be (or were) dequeued, scheduled and retry by due time, archived by archive
   * time, completed by expiry time, ties by task ID bytes. Active tasks whose lease has expired are
   * marked {@linkplain TaskInfo#orphaned() orphaned}. For aggregating tasks use {@link
   * #listAggregating}. Every listed ID is a row; bad records are rows with {@linkplain
   * TaskInfo#problems() problems} (see the class comment).
   *
   * @throws IllegalArgumentException if {@code state} is {@link TaskState#AGGREGATING}
   * @throws QueueNotFoundException if the queue is not registered
   */
  public List<TaskInfo> listTasks(String queue, TaskState state, Page page) {
    Objects.requireNonNull(state, "state == null");
    Objects.requireNonNull(page, "page == null");
    if (state == TaskState.AGGREGATING) {
      throw new IllegalArgumentException(
          "state must not be aggregating (use listAggregating with a group), was " + state);
    }
    return InspectorValues.infos(
        queries.list(queue(queue), state, page.start(), page.stop(), now()));
  }

  /**
   * One page of the tasks waiting in {@code group} of {@code queue}, in the order they were added.
   * An unknown group is empty.
   *
   * @throws QueueNotFoundException if the queue is not registered
   */
  public List<TaskInfo> listAggregating(String queue, String group, Page page) {
    Objects.requireNonNull(page, "page == null");
    return InspectorValues.infos(
        queries.listGroup(queue(queue), text("group", group), page.start(), page.stop(), now()));
  }

  /**
   * The servers whose heartbeat is current, each with the tasks it runs, sorted by host, PID and ID
   * (Asynq returns them in random order). Expired registry entries are pruned on the way; bad
   * records are rows or problems (see {@link ServerInfo}).
   */
  public List<ServerInfo> servers() {
    ensureOpen();
    return registries.servers(now());
  }

  /**
   * The periodic tasks of every scheduler whose heartbeat is current, sorted by spec, type and ID.
   * Expired registry entries are pruned on the way; an entry that does not decode is a bad row (see
   * {@link SchedulerEntry}).
   */
  public List<SchedulerEntry> schedulerEntries() {
    ensureOpen();
    return registries.schedulerEntries(now());
  }

  /**
   * One page of the enqueues made by scheduler entry {@code entryId}, newest first (the history
   * keeps the last 1000). An unknown entry has none. An event that does not decode is a bad row in
   * its place (see {@link SchedulerEnqueueEvent}).
   */
  public List<SchedulerEnqueueEvent> schedulerHistory(String entryId, Page page) {
    Objects.requireNonNull(entryId, "entryId == null");
    Objects.requireNonNull(page, "page == null");
    ensureOpen();
    return registries.schedulerHistory(entryId, page.start(), page.stop());
  }

  /**
   * What Redis says about itself: {@code INFO} of the server; on a Redis Cluster, {@code CLUSTER
   * INFO} and the {@code INFO} of each master instead (as {@code asynq stats} shows).
   *
   * @throws JasynqException if Redis fails
   * @since 0.2
   */
  public RedisInfo redisInfo() {
    ensureOpen();
    return new RedisInfo(nodes.info(), nodes.clusterInfo(), nodes.masterInfo());
  }

  /**
   * The Redis Cluster hash slot of {@code queue}'s keys (Asynq's {@code ClusterKeySlot}: {@code
   * CLUSTER KEYSLOT asynq:{queue}:pending}). No queue check, as in Asynq.
   *
   * @throws JasynqException if Redis is not a cluster ("cluster support disabled") or fails
   * @since 0.2
   */
  public long clusterKeySlot(String queue) {
    return nodes.keySlot("clusterKeySlot", Keys.pending(queue(queue)));
  }

  /**
   * The Redis Cluster nodes serving {@code queue}'s slot, the master first, then its replicas
   * (Asynq's {@code ClusterNodes}). No queue check, as in Asynq.
   *
   * @throws JasynqException if Redis is not a cluster ("cluster support disabled") or fails
   * @since 0.2
   */
  public List<ClusterNode> clusterNodes(String queue) {
    return nodes.clusterNodes("clusterNodes", Keys.pending(queue(queue)));
  }

  // ---------------------------------------------------------------------------------------------
  // Writes to one task

  /**
   * Deletes a task that is not active, releasing its unique lock if it holds it.
   *
   * @throws QueueNotFoundException if the queue is not registered
   * @throws TaskNotFoundException if the queue has no task {@code id}
   * @throws TaskStateException if the task is active (cancel it instead)
   */
  public void deleteTask(String queue, String id) {
    taskWrites.manageOne(Action.DELETE, queue(queue), text("id", id), now());
  }

  /**
   * Makes a scheduled, retry, archived, completed or aggregating task pending, so it runs next.
   *
   * @throws QueueNotFoundException if the queue is not registered
   * @throws TaskNotFoundException if the queue has no task {@code id}
   * @throws TaskStateException if the task is pending or active
   */
  public void runTask(String queue, String id) {
    taskWrites.manageOne(Action.RUN, queue(queue), text("id", id), now());
  }

  /**
   * Archives a pending, scheduled, retry, completed or aggregating task.
   *
   * @throws QueueNotFoundException if the queue is not registered
   * @throws TaskNotFoundException if the queue has no task {@code id}
   * @throws TaskStateException if the task is archived or active
   */
  public void archiveTask(String queue, String id) {
    taskWrites.manageOne(Action.ARCHIVE, queue(queue), text("id", id), now());
  }

  /**
   * Replaces the payload of a scheduled task (Asynq v0.26's {@code UpdateTaskPayload}); every other
   * field of its message, unknown ones included, is kept. The unique lock is not re-keyed.
   *
   * @return the updated task
   * @throws QueueNotFoundException if the queue is not registered
   * @throws TaskNotFoundException if the queue has no task {@code id}
   * @throws TaskStateException if the task is not scheduled
   * @throws JasynqException if the task's records are bad (see {@link TaskInfo#problems()})
   */
  public TaskInfo updateTaskPayload(String queue, String id, byte[] payload) {
    Objects.requireNonNull(payload, "payload == null");
    return InspectorValues.info(
        taskWrites.updatePayload(queue(queue), text("id", id), payload, now()));
  }

  /**
   * Asks every server to cancel task {@code taskId} if it is running it (a Pub/Sub message on
   * {@code asynq:cancel}). Best effort: succeeds even if no server runs the task. A cancelled task
   * is retried like a failed one.
   */
  public void cancel(String taskId) {
    text("id", taskId);
    broker.await(broker.servers().publishCancel(taskId));
  }

  // ---------------------------------------------------------------------------------------------
  // Writes to many tasks

  /**
   * Deletes every task of {@code queue} in {@code state} (pending, scheduled, retry, archived or
   * completed), releasing the unique locks they hold.
   *
   * @return how many were deleted
   * @throws IllegalArgumentException for another state
   * @throws QueueNotFoundException if the queue is not registered
   */
  public long deleteAll(String queue, TaskState state) {
    return taskWrites.manageAll(
        Action.DELETE,
        queue(queue),
        InspectorValues.state(
            state,
            TaskState.PENDING,
            TaskState.SCHEDULED,
            TaskState.RETRY,
            TaskState.ARCHIVED,
            TaskState.COMPLETED),
        null,
        now());
  }

  /**
   * Makes every task of {@code queue} in {@code state} (scheduled, retry or archived) pending.
   *
   * @return how many were moved
   * @throws IllegalArgumentException for another state
   * @throws QueueNotFoundException if the queue is not registered
   */
  public long runAll(String queue, TaskState state) {
    return taskWrites.manageAll(
        Action.RUN,
        queue(queue),
        InspectorValues.state(state, TaskState.SCHEDULED, TaskState.RETRY, TaskState.ARCHIVED),
        null,
        now());
  }

  /**
   * Archives every task of {@code queue} in {@code state} (pending, scheduled or retry).
   *
   * @return how many were archived
   * @throws IllegalArgumentException for another state
   * @throws QueueNotFoundException if the queue is not registered
   */
  public long archiveAll(String queue, TaskState state) {
    return taskWrites.manageAll(
        Action.ARCHIVE,
        queue(queue),
        InspectorValues.state(state, TaskState.PENDING, TaskState.SCHEDULED, TaskState.RETRY),
        null,
        now());
  }

  /**
   * Deletes every task waiting in {@code group}, releasing the unique locks they hold.
   *
   * @return how many were deleted
   * @throws QueueNotFoundException if the queue is not registered
   */
  public long deleteAllAggregating(String queue, String group) {
    return taskWrites.manageAll(
        Action.DELETE, queue(queue), TaskState.AGGREGATING, text("group", group), now());
  }

  /**
   * Makes every task waiting in {@code group} pending.
   *
   * @return how many were moved
   * @throws QueueNotFoundException if the queue is not registered
   */
  public long runAllAggregating(String queue, String group) {
    return taskWrites.manageAll(
        Action.RUN, queue(queue), TaskState.AGGREGATING, text("group", group), now());
  }

  /**
   * Archives every task waiting in {@code group}.
   *
   * @return how many were archived
   * @throws QueueNotFoundException if the queue is not registered
   */
  public long archiveAllAggregating(String queue, String group) {
    return taskWrites.manageAll(
        Action.ARCHIVE, queue(queue), TaskState.AGGREGATING, text("group", group), now());
  }

  // ---------------------------------------------------------------------------------------------
  // Writes to queues

  /**
   * Pauses {@code queue}: servers stop taking its pending tasks (tasks already running go on). As
   * in Asynq, the queue need not be registered.
   *
   * @throws QueueStateException if it is already paused
   */
  public void pauseQueue(String queue) {
    queueWrites.pause(queue(queue), now());
  }

  /**
   * Unpauses {@code queue}.
   *
   * @throws QueueStateException if it is not paused
   */
  public void unpauseQueue(String queue) {
    queueWrites.unpause(queue(queue));
  }

  /**
   * Deletes {@code queue}. Without {@code force} it must hold no pending, active, scheduled, retry
   * or archived task (completed and aggregating ones do not count, as in Asynq); with {@code force}
   * it must hold no active task. Then, unlike Asynq, which leaves many keys behind, every key of
   * the queue goes ({@code asynq:{queue}:*}: tasks in every state, groups, counters, daily stats,
   * unique locks, the pause flag; on Redis Cluster they are swept on the master owning the queue's
   * slot), and the queue leaves {@code asynq:queues}. A client that enqueues to it again registers
   * it again.
   *
   * @throws QueueNotFoundException if the queue is not registered
   * @throws QueueNotEmptyException if not forced and the queue holds tasks
   * @throws QueueStateException if forced and the queue has active tasks
   */
  public void deleteQueue(String queue, boolean force) {
    queueWrites.deleteQueue(queue(queue), force, now());
  }

  /**
   * {@code queue}'s fleet-wide concurrency limit: the most of its tasks active at once across every
   * jasynq server (see {@link ServerConfig.Builder#queueConcurrencyLimit}); empty if none is set. A
   * stored value that is not a positive integer sets no limit: empty, logged at WARN.
   *
   * @throws JasynqException if the queue's limits key is not a hash
   */
  public OptionalInt concurrencyLimit(String queue) {
    String stored = broker.await(broker.limits().concurrency(queue(queue)));
    return InspectorValues.limit(queue, stored);
  }

  /**
   * Sets {@code queue}'s fleet-wide concurrency limit (≥ 1, else IllegalArgumentException), or with
   * null clears it; servers apply it at their next dequeue (idle ones are woken if tasks wait). A
   * server configured with a limit for the queue writes its own again when it starts.
   */
  public void setConcurrencyLimit(String queue, @Nullable Integer limit) {
    broker.await(broker.limits().setConcurrency(queue(queue), limit));
  }

  /** {@code queue}'s fleet-wide {@link RateLimit}, as the dequeue applies it; empty if none. */
  public Optional<RateLimit> rateLimit(String queue) {
    return Optional.ofNullable(LimitStore.rate(broker.await(broker.limits().read(queue(queue)))));
  }

  /** Sets or, with null, clears {@code queue}'s rate limit, as {@link #setConcurrencyLimit}. */
  public void setRateLimit(String queue, @Nullable RateLimit limit) {
    broker.await(broker.limits().setRate(queue(queue), limit));
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle

  /**
   * Checks that Redis answers.
   *
   * @throws JasynqException if it does not within the command timeout
   */
  public void ping() {
    ensureOpen();
    broker.await(broker.ping());
  }

  /** Whether {@link #close()} has been called. */
  public boolean isClosed() {
    return lifecycle.isClosed();
  }

  /**
   * Closes what this inspector owns. Idempotent, thread-safe, never throws; a second caller waits
   * until the first has finished.
   */
  @Override
  public void close() {
    lifecycle.close(closer::close);
  }

  @Override
  public String toString() {
    return "Inspector[" + description + ", " + (lifecycle.isClosed() ? "closed" : "open") + "]";
  }

  private Instant now() {
    return clock.instant();
  }

  /** Validates a queue name (as Asynq: not blank) and that the inspector is open. */
  private String queue(String queue) {
    Checks.text("queue", queue);
    ensureOpen();
    return queue;
  }

  /** Validates a task ID or group name (not blank) and that the inspector is open. */
  private String text(String field, String value) {
    Checks.text(field, value);
    ensureOpen();
    return value;
  }

  private void ensureOpen() {
    lifecycle.ensureOpen();
  }

  /** Builds an {@link Inspector}. Give exactly one of {@link #uri} and {@link #connector}. */
  public static final class Builder {
    private @Nullable String uri;
    private @Nullable RedisConnector connector;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Connect to this URI with a connection the inspector owns. */
    public Builder uri(String uri) {
      this.uri = Objects.requireNonNull(uri, "uri == null");
      return this;
    }

    /** Use the caller's connector, which the inspector never closes. */
    public Builder connector(RedisConnector connector) {
      this.connector = Objects.requireNonNull(connector, "connector == null");
      return this;
    }

    /**
     * The clock for "now" (latency, today's counters, orphaned leases, archive times); default the
     * system UTC clock. For tests.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /**
     * Builds and connects the inspector.
     *
     * @throws IllegalArgumentException if neither or both of uri and connector were given
     * @throws JasynqException if Redis cannot be reached
     */
    public Inspector build() {
      BrokerHandle.checkTarget(uri, connector);
      return new Inspector(this);
    }
  }
}
