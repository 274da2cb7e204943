package io.jasynq.internal.broker;

import io.jasynq.JasynqException;
import io.jasynq.internal.broker.proto.ServerInfo;
import io.jasynq.internal.broker.proto.TaskMessage;
import io.jasynq.internal.broker.proto.WorkerInfo;
import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.RedisCommand;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only class that sends Redis commands. Every operation is asynchronous, bounded by the
 * source's command timeout, and fails with a {@link JasynqException} naming the operation.
 * Thread-safe: it shares one thread-safe Lettuce connection.
 *
 * <p>Keys of the wrong Redis type: a write that must read or move a task through a key holding
 * another type (a pending list that is a string, a task key that is a set) fails with {@link
 * WrongKeyTypeException} naming the key, with nothing written. A side key a task's progress does
 * not wait for (a daily or total counter Redis cannot increment, a unique lock that is not a
 * string) is left as it is, the task goes on, and a WARN names the key once.
 *
 * <p>The server-side scripts use {@code LMOVE} and {@code LPOS}, so they need Redis 6.2 or newer
 * (as Go Asynq v0.25+ servers do, spec §9.1).
 */
public final class Broker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Broker.class);

  /** How long daily counters and archived tasks are kept (spec §1.2, §4.1). */
  static final Duration STATS_TTL = Duration.ofDays(90);

  /** The archive keeps this many newest tasks (spec §3.14, without Asynq's off-by-one). */
  static final int ARCHIVE_MAX_SIZE = 10_000;

  /** The most pending IDs one dequeue call looks at, skipping dangling ones. */
  static final int DEQUEUE_SCAN_LIMIT = 100;

  /** The most due IDs one forward call moves (spec §3.15). */
  static final int FORWARD_BATCH = 100;

  /** The most lease-expired tasks one {@link #listLeaseExpired} call returns. */
  public static final int LEASE_EXPIRED_LIMIT = 1000;

  /** Minutes an aggregation set may take before the recoverer reclaims it (spec §3.23). */
  static final int AGGREGATION_SET_TTL_MINUTES = 2;

  /** How long an aggregation set may take before the recoverer reclaims it (spec §3.23). */
  public static final Duration AGGREGATION_SET_TTL =
      Duration.ofMinutes(AGGREGATION_SET_TTL_MINUTES);

  /** The most stale aggregation sets one reclaim script call handles. */
  static final int RECLAIM_BATCH = 100;

  /** How many of a group's oldest tasks {@link #registerGroups} looks at for its group field. */
  static final int REGISTER_GROUPS_LOOK = 10;

  /** The type of the message that replaces an undecodable one in the archive. */
  public static final String MALFORMED_TASK_TYPE = "jasynq:malformed";

  private final ConnectionSource source;
  private final RedisConnection connection;
  private final Duration timeout;
  // Whether Lettuce already times out every command on this connection (ours always do): then a
  // second timer per command would only cost a scheduled task per call on the hot path.
  private final boolean lettuceTimesOut;
  // Non-null on Redis Cluster: loads scripts on every node before a pipelined batch.
  private final ClusterDispatch cluster;
  private final ReplicaWait replicaWait; // null: enqueues do not wait for replicas
  // Told of every command's outcome (a server's health checker), or null.
  private volatile ReachabilityListener reachability;
  // Non-null for durable enqueue on Redis Cluster: the connections writes to each slot go through.
  private final NodeConnections nodes;

  /** When each queue was last registered in asynq:queues by this broker (System.nanoTime). */
  private final java.util.concurrent.ConcurrentHashMap<String, Long> registered =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Whether an ACL refusal of the queue registration was logged at WARN (once per broker). */
  private final java.util.concurrent.atomic.AtomicBoolean registrationRefusalLogged =
      new java.util.concurrent.atomic.AtomicBoolean();

  private static final long REGISTRATION_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** The side keys a WARN was logged for (see {@link #warnSkipped}); bounded. */
  private final Set<String> warnedKeys = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** How often a waiting call checks that its connection is still there. */
  private static final long GONE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private Broker(
      ConnectionSource source,
      RedisConnection connection,
      Duration timeout,
      ReplicaWait replicaWait) {
    this.source = source;
    this.connection = connection;
    this.timeout = timeout;
    this.lettuceTimesOut = timesOut(connection);
    this.cluster = ClusterDispatch.of(connection);
    this.replicaWait = replicaWait;
    this.nodes =
        replicaWait != null && connection.raw() instanceof StatefulRedisClusterConnection<?, ?> c
            ? new NodeConnections(c)
            : null;
  }

  /** A broker on a connection from {@code source}; {@link #close()} releases that connection. */
  public static Broker open(ConnectionSource source) {
    return open(source, null);
  }

  /**
   * A broker whose enqueues succeed only once {@code replicaWait} replicas have the task (see
   * {@link ReplicaWait}); null for none. On Redis Cluster each durable enqueue goes to the master
   * owning its queue's slot over the connection Lettuce routes that slot's writes through, and its
   * WAIT follows on that same connection.
   */
  public static Broker open(ConnectionSource source, ReplicaWait replicaWait) {
    return new Broker(source, source.open(), source.commandTimeout(), replicaWait);
  }

  /**
   * Writes one task atomically, registering its queue first (spec §3.1: a separate SADD, sent in
   * the same flush as the script). The SADD is repeated at most once a second per queue: often
   * enough that a queue deleted by an Inspector reappears with its next task (Go Asynq's per-client
   * cache never re-adds it, spec §9.10), rarely enough to cost nothing at high rates.
   */
  public CompletableFuture<EnqueueOutcome> enqueue(EnqueueRequest request) {
    if (replicaWait == null) {
      return enqueue(
              request, scriptFor(request), keysFor(request), argsFor(request), null, null, null)
          .thenApply(EnqueueOutcome::ofReply);
    }
    AtomicReference<RedisConnection.Stamp> on = new AtomicReference<>();
    AtomicReference<RedisConnection> wrote = new AtomicReference<>();
    return via(request)
        .thenCompose(
            via ->
                enqueue(
                        request,
                        scriptFor(request),
                        keysFor(request),
                        argsFor(request),
                        on,
                        via,
                        wrote)
                    .thenApply(EnqueueOutcome::ofReply)
                    .thenCompose(
                        o ->
                            o != EnqueueOutcome.ENQUEUED
                                ? CompletableFuture.completedFuture(o)
                                : awaitReplicas(wrote.get(), List.of(request), List.of(on))
                                    .thenApply(
                                        failures -> {
                                          if (failures.get(0) != null) {
                                            throw failures.get(0);
                                          }
                                          return o;
                                        })));
  }

  /**
   * Runs an enqueue script (plain or wrapped) for {@code request}, registering its queue; never
   * waits for replicas.
   */
  CompletableFuture<Long> enqueue(
      EnqueueRequest request, Script script, List<String> keys, List<byte[]> args) {
    return enqueue(request, script, keys, args, null, null, null);
  }

  /**
   * The connection a durable enqueue of {@code request} writes on and sends WAIT on: ours, or on
   * Cluster the one to the master owning the request's slot.
   */
  private CompletableFuture<RedisConnection> via(EnqueueRequest request) {
    if (nodes == null) {
      return CompletableFuture.completedFuture(connection);
    }
    return bounded(
        "enqueue",
        nodes.forSlot("enqueue", SlotHash.getSlot(Keys.task(request.queue(), request.id()))));
  }

  /**
   * Sends the script: routed as usual when {@code via} is null or our connection, else (durable
   * enqueue on Cluster) on the node connection {@code via}, EVAL fallback included, so its reply
   * comes over that connection. {@code on}, if not null, notes which socket the reply came over.
   */
  private CompletableFuture<Long> enqueue(
      EnqueueRequest request,
      Script script,
      List<String> keys,
      List<byte[]> args,
      AtomicReference<RedisConnection.Stamp> on,
      RedisConnection via,
      AtomicReference<RedisConnection> wrote) {
    if (!needsRegistration(request.queue())) {
      return runEnqueue(script, keys, args, on, via, wrote);
    }
    AsyncCommand<byte[], byte[], Long> register = Commands.sadd(Keys.queues(), request.queue());
    dispatch(List.of(register)); // asynq:queues lives in its own slot: routed
    return registered(register, request.queue())
        .thenCompose(v -> runEnqueue(script, keys, args, on, via, wrote));
  }

  /** The script of {@link #enqueue(EnqueueRequest, Script, List, List, AtomicReference, ...)}. */
  private CompletableFuture<Long> runEnqueue(
      Script script,
      List<String> keys,
      List<byte[]> args,
      AtomicReference<RedisConnection.Stamp> on,
      RedisConnection via,
      AtomicReference<RedisConnection> wrote) {
    RedisConnection to = via == null ? connection : via;
    AsyncCommand<byte[], byte[], Long> run = stamp(Commands.evalsha(script, keys, args), on, to);
    if (to != connection) {
      return bounded(
          "enqueue",
          onNode(to, run, script, keys, args, on, wrote, Failover.RETRIES),
          script,
          keys);
    }
    if (wrote != null) {
      wrote.set(connection);
    }
    dispatch(List.of(run));
    return bounded(
        "enqueue",
        withEvalFallback(run, () -> stamp(Commands.eval(script, keys, args), on, connection)),
        script,
        keys);
  }

  /**
   * Completes when the queue's registration {@code register} (SADD, already sent) has answered. The
   * enqueue script is sent only then, so that an {@code asynq:queues} of another type fails the
   * enqueue with {@link WrongKeyTypeException} before anything is written (as Go Asynq sends its
   * SADD first and stops on its error). Any other failure of the SADD does not stop the enqueue: it
   * is tried again with the next task of that queue. One round trip more, at most once a second per
   * queue.
   */
  private CompletableFuture<Void> registered(
      AsyncCommand<byte[], byte[], Long> register, String queue) {
    return bounded("enqueue", register)
        .handle(
            (added, error) -> {
              if (error == null) {
                return null;
              }
              registered.remove(queue); // try again with the next task
              Throwable cause = unwrap(error);
              Throwable redis = cause.getCause() == null ? cause : cause.getCause();
              if (redis.getMessage() != null && redis.getMessage().startsWith("WRONGTYPE")) {
                throw WrongKeyTypeException.ofWrongType("enqueue", Keys.queues(), "set", redis);
              }
              if (redis instanceof RedisException
                  && AclErrors.isRefusal(redis.getMessage())
                  && registrationRefusalLogged.compareAndSet(false, true)) {
                // A configuration error, not a passing one: Inspectors will not list the queue.
                log.warn(
                    "{}; queue \"{}\" is not listed by Inspectors until it is",
                    AclErrors.describe(
                        "registering the queue in " + Keys.queues(),
                        null,
                        List.of(Keys.queues()),
                        redis.getMessage()),
                    queue);
                return null;
              }
              log.debug("registering queue \"{}\" in {} failed", queue, Keys.queues(), error);
              return null;
            });
  }

  /**
   * Writes many tasks in one pipelined round trip: the scripts are loaded first in the same flush,
   * so the batch is correct when the server's script cache is empty. On Redis Cluster they are
   * loaded on every node instead, before the first batch that needs them, and each command goes to
   * its queue's node. Each task is atomic on its own; the batch is not. Returns one future per
   * request, in order.
   */
  public List<CompletableFuture<EnqueueOutcome>> enqueueBatch(List<EnqueueRequest> requests) {
    if (nodes != null) {
      return durableClusterBatch(requests);
    }
    List<RedisCommand<byte[], byte[], ?>> pipeline = new ArrayList<>();
    Set<Script> scripts = EnumSet.noneOf(Script.class);
    Set<String> queues = new LinkedHashSet<>();
    for (EnqueueRequest r : requests) {
      scripts.add(scriptFor(r));
      queues.add(r.queue());
    }
    if (cluster == null) {
      for (Script s : scripts) {
        pipeline.add(Commands.scriptLoad(s));
      }
    }
    // Queues to register go first, and the scripts only once those SADDs have answered (see
    // registered): a batch costs a round trip more at most once a second per queue.
    java.util.Map<String, CompletableFuture<Void>> registrations = new java.util.HashMap<>();
    List<RedisCommand<byte[], byte[], ?>> registers = new ArrayList<>();
    for (String q : queues) {
      if (needsRegistration(q)) {
        AsyncCommand<byte[], byte[], Long> register = Commands.sadd(Keys.queues(), q);
        registers.add(register);
        registrations.put(q, registered(register, q));
      }
    }
    List<CompletableFuture<EnqueueOutcome>> results = new ArrayList<>(requests.size());
    List<AsyncCommand<byte[], byte[], Long>> runs = new ArrayList<>(requests.size());
    List<AtomicReference<RedisConnection.Stamp>> on = new ArrayList<>(requests.size());
    for (EnqueueRequest r : requests) {
      on.add(replicaWait == null ? null : new AtomicReference<>());
      runs.add(
          stamp(
              Commands.evalsha(scriptFor(r), keysFor(r), argsFor(r)),
              on.get(on.size() - 1),
              connection));
    }
    CompletableFuture<Void> allRegistered =
        CompletableFuture.allOf(registrations.values().toArray(new CompletableFuture<?>[0]))
            .handle((v, e) -> null);
    if (!registers.isEmpty()) {
      dispatch(registers);
    }
    // A task whose queue could not be registered (asynq:queues of another type) is not sent.
    Runnable send =
        () -> {
          List<RedisCommand<byte[], byte[], ?>> all = new ArrayList<>(pipeline);
          for (int j = 0; j < requests.size(); j++) {
            CompletableFuture<Void> reg = registrations.get(requests.get(j).queue());
            if (reg == null || !reg.isCompletedExceptionally()) {
              all.add(runs.get(j));
            }
          }
          if (cluster == null) {
            dispatch(all);
          } else {
            // A keyless SCRIPT LOAD would reach one node only: load on every node first (once).
            cluster.preload(scripts).thenRun(() -> dispatch(all));
          }
        };
    if (registers.isEmpty()) {
      send.run();
    } else {
      allRegistered.thenRun(send);
    }
    for (int j = 0; j < requests.size(); j++) {
      EnqueueRequest r = requests.get(j);
      Script script = scriptFor(r);
      List<String> keys = keysFor(r);
      AtomicReference<RedisConnection.Stamp> stamp = on.get(j);
      AsyncCommand<byte[], byte[], Long> run = runs.get(j);
      CompletableFuture<Void> reg =
          registrations.getOrDefault(r.queue(), CompletableFuture.completedFuture(null));
      results.add(
          allRegistered
              .thenCompose(v -> reg)
              .thenCompose(
                  v ->
                      bounded(
                          "enqueue",
                          withEvalFallback(
                              run,
                              () ->
                                  stamp(
                                      Commands.eval(script, keys, argsFor(r)), stamp, connection)),
                          script,
                          keys))
              .thenApply(EnqueueOutcome::ofReply));
    }
    if (replicaWait == null) {
      return results;
    }
    List<AtomicReference<RedisConnection>> wrote = new ArrayList<>(requests.size());
    for (int j = 0; j < requests.size(); j++) {
      wrote.add(new AtomicReference<>(connection));
    }
    return durable(requests, results, on, wrote);
  }

  /**
   * A durable batch on Cluster: scripts loaded on every node first, then each task written on the
   * connection to its slot's master, and one WAIT per node connection written to.
   */
  private List<CompletableFuture<EnqueueOutcome>> durableClusterBatch(
      List<EnqueueRequest> requests) {
    Set<Script> scripts = EnumSet.noneOf(Script.class);
    for (EnqueueRequest r : requests) {
      scripts.add(scriptFor(r));
    }
    CompletableFuture<Void> loaded = cluster.preload(scripts);
    java.util.Map<Integer, CompletableFuture<RedisConnection>> bySlot = new java.util.HashMap<>();
    List<AtomicReference<RedisConnection>> wrote = new ArrayList<>(requests.size());
    List<AtomicReference<RedisConnection.Stamp>> on = new ArrayList<>(requests.size());
    List<CompletableFuture<EnqueueOutcome>> results = new ArrayList<>(requests.size());
    for (EnqueueRequest r : requests) {
      CompletableFuture<RedisConnection> via =
          bySlot.computeIfAbsent(SlotHash.getSlot(Keys.task(r.queue(), r.id())), slot -> via(r));
      AtomicReference<RedisConnection.Stamp> stamp = new AtomicReference<>();
      AtomicReference<RedisConnection> node = new AtomicReference<>();
      on.add(stamp);
      wrote.add(node);
      results.add(
          loaded
              .thenCompose(v -> via)
              .thenCompose(to -> enqueue(r, scriptFor(r), keysFor(r), argsFor(r), stamp, to, node))
              .thenApply(EnqueueOutcome::ofReply));
    }
    return durable(requests, results, on, wrote);
  }

  /**
   * The batch's results once one WAIT per connection written to, after all of the batch's writes,
   * has confirmed them (or not).
   */
  private List<CompletableFuture<EnqueueOutcome>> durable(
      List<EnqueueRequest> requests,
      List<CompletableFuture<EnqueueOutcome>> results,
      List<AtomicReference<RedisConnection.Stamp>> on,
      List<AtomicReference<RedisConnection>> wrote) {
    // failures.get(i): why request i is not confirmed, or null (confirmed, or not ENQUEUED).
    CompletableFuture<List<RuntimeException>> failures =
        CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0]))
            .handle((v, e) -> null)
            .thenCompose(
                v -> {
                  // Written requests, grouped by the connection their reply came over.
                  java.util.Map<RedisConnection, List<Integer>> written =
                      new java.util.LinkedHashMap<>();
                  for (int i = 0; i < requests.size(); i++) {
                    if (results.get(i).getNow(null) == EnqueueOutcome.ENQUEUED) {
                      written.computeIfAbsent(wrote.get(i).get(), k -> new ArrayList<>()).add(i);
                    }
                  }
                  List<RuntimeException> all =
                      new ArrayList<>(java.util.Collections.nCopies(requests.size(), null));
                  List<CompletableFuture<?>> waits = new ArrayList<>();
                  written.forEach(
                      (via, indexes) ->
                          waits.add(
                              awaitReplicas(
                                      via,
                                      indexes.stream().map(requests::get).toList(),
                                      indexes.stream().map(on::get).toList())
                                  .thenAccept(
                                      confirmed -> {
                                        synchronized (all) {
                                          for (int k = 0; k < indexes.size(); k++) {
                                            all.set(indexes.get(k), confirmed.get(k));
                                          }
                                        }
                                      })));
                  return CompletableFuture.allOf(waits.toArray(new CompletableFuture<?>[0]))
                      .thenApply(
                          done -> {
                            synchronized (all) {
                              return new ArrayList<>(all);
                            }
                          });
                });
    List<CompletableFuture<EnqueueOutcome>> out = new ArrayList<>(results.size());
    for (int i = 0; i < requests.size(); i++) {
      int index = i;
      out.add(
          results
              .get(i)
              .thenCombine(
                  failures,
                  (outcome, why) -> {
                    if (why.get(index) != null) {
                      throw why.get(index);
                    }
                    return outcome;
                  }));
    }
    return out;
  }

  /**
   * Sends {@code WAIT} on {@code via} after {@code written} (all ENQUEUED there) and says, per
   * request, whether it is confirmed (null) or why not. A write is confirmed only if WAIT counted
   * enough replicas and its reply came over the same socket as WAIT's: WAIT counts the writes of
   * its own client connection, and a reconnect in between means WAIT may have run on another server
   * (the new master after a failover), which says nothing about the write.
   */
  private CompletableFuture<List<RuntimeException>> awaitReplicas(
      RedisConnection via,
      List<EnqueueRequest> written,
      List<AtomicReference<RedisConnection.Stamp>> writtenOn) {
    ReplicaWait w = replicaWait;
    AtomicReference<RedisConnection.Stamp> waitOn = new AtomicReference<>();
    AsyncCommand<byte[], byte[], Long> wait =
        Commands.waitReplicas(w.replicas(), w.timeout().toMillis());
    // Chained (not a sibling callback: those run in reverse order of registration), so the
    // socket is noted, on the event loop as the reply is read, before it is compared.
    CompletableFuture<Long> stamped = wait.whenComplete((reply, error) -> waitOn.set(via.stamp()));
    if (via == connection) {
      dispatch(List.of(wait));
    } else {
      onNode(via, wait);
    }
    return bounded("enqueue (WAIT for replicas)", stamped)
        .handle(
            (acked, error) -> {
              List<RuntimeException> failures = new ArrayList<>(written.size());
              for (int i = 0; i < written.size(); i++) {
                EnqueueRequest r = written.get(i);
                String why = null;
                long count = acked == null ? 0 : acked;
                if (error != null) {
                  why = "WAIT failed: " + unwrap(error).getMessage();
                } else if (!waitOn.get().sameSocket(writtenOn.get(i).get())) {
                  why = "the connection moved or reconnected between the write and WAIT";
                  count = 0;
                } else if (count >= w.replicas()) {
                  failures.add(null);
                  continue;
                }
                failures.add(
                    new io.jasynq.NotReplicatedException(
                        r.queue(), r.id(), count, w.replicas(), w.timeout(), why));
              }
              return failures;
            });
  }

  /** {@code command}, noting in {@code on} which socket of {@code via} its reply came over. */
  private static <T> AsyncCommand<byte[], byte[], T> stamp(
      AsyncCommand<byte[], byte[], T> command,
      AtomicReference<RedisConnection.Stamp> on,
      RedisConnection via) {
    if (on != null) {
      // Registered before dispatch, so it runs on the event loop as the reply is read; the WAIT
      // is sent from a dependent of the same reply and its answer is read after this has run.
      command.whenComplete((reply, error) -> on.set(via.stamp()));
    }
    return command;
  }

  /**
   * Sends an enqueue script on the node connection {@code node} (durable enqueue on Cluster). On
   * NOSCRIPT it is sent again as EVAL on the same node; on a {@code MOVED} redirect (the slot has a
   * new master this client's topology does not show yet; the script did not run) it is sent to the
   * master the redirect names, over the connection routed writes to it use, up to {@code hops}
   * times. {@code on} notes the node connection and socket of the reply that counts.
   */
  private CompletableFuture<Long> onNode(
      RedisConnection node,
      AsyncCommand<byte[], byte[], Long> run,
      Script script,
      List<String> keys,
      List<byte[]> args,
      AtomicReference<RedisConnection.Stamp> on,
      AtomicReference<RedisConnection> wrote,
      int hops) {
    onNode(node, run);
    // Chained: set before any dependent of the result reads it.
    return run.thenApply(
            reply -> {
              if (wrote != null) {
                wrote.set(node);
              }
              return reply;
            })
        .exceptionallyCompose(
            error -> {
              Throwable e = unwrap(error);
              if (Commands.isNoScript(e)) {
                cluster.forget();
                AsyncCommand<byte[], byte[], Long> eval =
                    stamp(Commands.eval(script, keys, args), on, node);
                return onNode(node, eval, script, keys, args, on, wrote, hops);
              }
              String moved = e.getMessage() == null ? "" : e.getMessage();
              if (hops > 0 && moved.startsWith("MOVED ")) {
                String target = moved.substring(moved.lastIndexOf(' ') + 1);
                int colon = target.lastIndexOf(':');
                return nodes
                    .forAddress(
                        target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)))
                    .thenCompose(
                        next ->
                            onNode(
                                next,
                                stamp(Commands.evalsha(script, keys, args), on, next),
                                script,
                                keys,
                                args,
                                on,
                                wrote,
                                hops - 1));
              }
              return CompletableFuture.failedFuture(error);
            });
  }

  /** Sends {@code command} on a cluster node connection (durable enqueue). */
  private static void onNode(RedisConnection node, RedisCommand<byte[], byte[], ?> command) {
    try {
      node.raw().dispatch(command);
    } catch (RuntimeException e) {
      command.completeExceptionally(e);
    }
  }

  /** PING. */
  public CompletableFuture<Void> ping() {
    AsyncCommand<byte[], byte[], String> ping = Commands.ping();
    dispatch(List.of(ping));
    return bounded("ping", ping).thenApply(reply -> null);
  }

  /**
   * Makes the oldest pending task active under a lease, trying {@code queues} in order with one
   * script call per queue (spec §3.9). A paused queue is skipped; pending IDs with no task hash are
   * dropped on the way, and IDs whose task key is not a hash are set aside (see {@link
   * #dequeue(List, Instant, Instant, int)}). A convenience for tests: what was set aside is not
   * reported.
   *
   * @param queues the queues to try, first preferred
   * @param now the caller's clock
   * @param leaseExpiry when the lease runs out; must be after {@code now}
   * @return the task, or null when every queue is empty, paused or unusable. A task whose message
   *     is unusable is still returned (and is active): archive it with {@link #archiveMalformed}
   */
  public CompletableFuture<Dequeued> dequeue(
      List<String> queues, Instant now, Instant leaseExpiry) {
    return dequeue(queues, now, leaseExpiry, 1)
        .thenApply(b -> b.tasks().isEmpty() ? null : b.tasks().get(0));
  }

  /**
   * Takes up to {@code max} tasks in one go: from the first queue of {@code queues} that has work,
   * then the next ones while fewer than {@code max} were found, one script call per queue tried.
   * One bad record never stops the others (issue 10): an ID whose task key is not a hash, or whose
   * task is held by the set of another state as well, is removed from pending and reported in
   * {@link DequeueBatch#isolated()} (its key is kept); a queue whose pending, active or lease key
   * has the wrong type is reported in {@link DequeueBatch#unusable()}, nothing is written to it,
   * and the next queue is tried.
   */
  public CompletableFuture<DequeueBatch> dequeue(
      List<String> queues, Instant now, Instant leaseExpiry, int max) {
    if (!leaseExpiry.isAfter(now)) {
      throw new IllegalArgumentException(
          "leaseExpiry must be after now, was " + leaseExpiry + " <= " + now);
    }
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, was " + max);
    }
    return dequeueFrom(
        List.copyOf(queues),
        0,
        leaseExpiry.getEpochSecond(),
        max,
        new DequeueAccumulator(now.getEpochSecond()));
  }

  /** What a dequeue call gathered so far; confined to the call's completion chain. */
  private static final class DequeueAccumulator {
    final long now;
    final List<Dequeued> tasks = new ArrayList<>();
    final List<Isolated> isolated = new ArrayList<>();
    final List<String> served = new ArrayList<>();
    final java.util.Map<String, String> unusable = new java.util.LinkedHashMap<>();
    final List<Isolated> dropped = new ArrayList<>();

    DequeueAccumulator(long now) {
      this.now = now;
    }

    DequeueBatch batch() {
      return new DequeueBatch(tasks, isolated, dropped, served, unusable);
    }
  }

  private CompletableFuture<DequeueBatch> dequeueFrom(
      List<String> queues, int i, long leaseExpiry, int max, DequeueAccumulator acc) {
    if (i == queues.size() || acc.tasks.size() >= max) {
      return CompletableFuture.completedFuture(acc.batch());
    }
    String q = queues.get(i);
    List<String> keys = List.of(Keys.pending(q), Keys.paused(q), Keys.active(q), Keys.lease(q));
    List<byte[]> args =
        List.of(
            number(leaseExpiry),
            Keys.bytes(Keys.taskPrefix(q)),
            number(DEQUEUE_SCAN_LIMIT),
            number(max - acc.tasks.size()),
            Keys.bytes(Keys.queuePrefix(q)),
            Keys.bytes(Keys.groupPrefix(q)),
            number(acc.now));
    return runScript("dequeue", Script.DEQUEUE, keys, args, Commands::arrayReply)
        .handle(
            (reply, error) -> {
              if (error != null) {
                WrongKeyTypeException wrong = wrongKeyType("dequeue", error);
                if (wrong == null) {
                  return CompletableFuture.<DequeueBatch>failedFuture(unwrap(error));
                }
                acc.unusable.put(q, wrong.reason());
              } else {
                List<?> taken = (List<?>) reply.get(0);
                for (int k = 0; k + 2 < taken.size(); k += 3) {
                  acc.tasks.add(
                      Dequeued.of(
                          q,
                          text(taken.get(k)),
                          (byte[]) taken.get(k + 1),
                          pendingSince(taken.get(k + 2))));
                }
                acc.isolated.addAll(isolated(q, (List<?>) reply.get(1)));
                acc.dropped.addAll(
                    dangling(
                        q, (List<?>) reply.get(2), "no task key behind it; dropped from pending"));
                acc.served.add(q);
              }
              return dequeueFrom(queues, i + 1, leaseExpiry, max, acc);
            })
        .thenCompose(f -> f);
  }

  /** A task's {@code pending_since} (unix nanoseconds), or null if absent or not a number. */
  private static java.time.Instant pendingSince(Object reply) {
    if (!(reply instanceof byte[] bytes)) {
      return null;
    }
    try {
      long nanos = Long.parseLong(new String(bytes, java.nio.charset.StandardCharsets.US_ASCII));
      return nanos <= 0
          ? null
          : java.time.Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L);
    } catch (NumberFormatException e) {
      return null; // as Go reads it: a non-numeric pending_since is no information
    }
  }

  /** The {id, ...} part of a script reply: dangling IDs removed, each with {@code reason}. */
  private static List<Isolated> dangling(String queue, List<?> ids, String reason) {
    return ids.stream().map(id -> new Isolated(queue, text(id), reason)).toList();
  }

  /** The {id, reason, ...} part of a script reply. */
  private static List<Isolated> isolated(String queue, List<?> reply) {
    List<Isolated> out = new ArrayList<>(reply.size() / 2);
    for (int k = 0; k + 1 < reply.size(); k += 2) {
      out.add(new Isolated(queue, text(reply.get(k)), text(reply.get(k + 1))));
    }
    return out;
  }

  /** {@code error} as a {@link WrongKeyTypeException} if a script refused a wrong-typed key. */
  private static WrongKeyTypeException wrongKeyType(String operation, Throwable error) {
    Throwable e = unwrap(error);
    if (e instanceof WrongKeyTypeException wrong) {
      return wrong;
    }
    Throwable cause = e instanceof JasynqException && e.getCause() != null ? e.getCause() : e;
    return cause instanceof RedisException
        ? WrongKeyTypeException.ofReply(operation, cause.getMessage(), cause)
        : null;
  }

  /**
   * Removes a task that succeeded and keeps no result (spec §3.10; also the outcome of a revoked
   * task): out of active and lease, hash deleted, processed counted, its unique lock released if it
   * still holds it.
   *
   * @param msg the task's message (its queue, ID and unique key are used)
   * @param now the caller's clock (the daily counter's date and expiry)
   * @return completes when done; fails with {@link TaskNotActiveException} if the task is not
   *     active (nothing written)
   */
  public CompletableFuture<Void> done(TaskMessage msg, Instant now) {
    String q = msg.getQueue();
    List<String> keys = new ArrayList<>(6);
    keys.add(Keys.active(q));
    keys.add(Keys.lease(q));
    keys.add(Keys.task(q, msg.getId()));
    keys.add(Keys.processed(q, day(now)));
    keys.add(Keys.processedTotal(q));
    addUniqueKey(keys, msg);
    List<byte[]> args = List.of(Keys.bytes(msg.getId()), number(statsExpiry(now)));
    return finish("done", msg, Script.DONE, keys, args);
  }

  /**
   * {@link #done} for several tasks of one queue in one script call. Each task is finished or left
   * alone on its own: the reply says which were done (true) and which were not active (false,
   * nothing written for them).
   *
   * @param queue the queue every message belongs to
   */
  public CompletableFuture<List<Boolean>> doneMany(
      String queue, List<TaskMessage> msgs, Instant now) {
    int n = msgs.size();
    List<String> keys = new ArrayList<>(4 + 2 * n);
    keys.add(Keys.active(queue));
    keys.add(Keys.lease(queue));
    keys.add(Keys.processed(queue, day(now)));
    keys.add(Keys.processedTotal(queue));
    List<byte[]> args = new ArrayList<>(2 + 2 * n);
    args.add(number(n));
    args.add(number(statsExpiry(now)));
    for (TaskMessage m : msgs) {
      if (!m.getQueue().equals(queue)) {
        throw new IllegalArgumentException("task " + m.getId() + " is not in queue " + queue);
      }
      keys.add(Keys.task(queue, m.getId()));
      args.add(Keys.bytes(m.getId()));
    }
    for (int i = 0; i < n; i++) {
      String lock = msgs.get(i).getUniqueKey();
      if (!lock.isEmpty()) {
        keys.add(lock);
        args.add(number(i + 1));
      }
    }
    return runScript("done", Script.DONE_MANY, keys, args, Commands::arrayReply)
        .thenApply(
            reply -> {
              warnSkipped(
                  "done",
                  "of " + n + " tasks of queue \"" + queue + "\"",
                  reply.subList(n, reply.size()));
              return reply.subList(0, n).stream().map(r -> Long.valueOf(1).equals(r)).toList();
            });
  }

  /**
   * Keeps a task that succeeded for its retention (spec §3.11): {@code completed_at} = now, into
   * {@code completed} scored now + retention, processed counted, unique lock released. The stored
   * {@code result} stays. Fields of {@code msg} this version does not know are kept.
   *
   * @param msg the task's message as dequeued
   * @param now the caller's clock
   * @return completes when done; fails with {@link TaskNotActiveException} if the task is not
   *     active (nothing written)
   */
  public CompletableFuture<Void> markComplete(TaskMessage msg, Instant now) {
    String q = msg.getQueue();
    long nowS = now.getEpochSecond();
    TaskMessage completed = msg.toBuilder().setCompletedAt(nowS).build();
    List<String> keys = new ArrayList<>(7);
    keys.add(Keys.active(q));
    keys.add(Keys.lease(q));
    keys.add(Keys.task(q, msg.getId()));
    keys.add(Keys.completed(q));
    keys.add(Keys.processed(q, day(now)));
    keys.add(Keys.processedTotal(q));
    addUniqueKey(keys, msg);
    List<byte[]> args =
        List.of(
            Keys.bytes(msg.getId()),
            number(statsExpiry(now)),
            number(nowS + msg.getRetention()),
            completed.toByteArray());
    return finish("markComplete", msg, Script.MARK_COMPLETE, keys, args);
  }

  /**
   * Puts a running task back at the tail of pending so it runs next (spec §3.12), with {@code
   * pending_since} = now (spec §9.9). No counter or retry count changes.
   *
   * @return completes when done; fails with {@link TaskNotActiveException} if the task is not
   *     active (nothing written)
   */
  public CompletableFuture<Void> requeue(TaskMessage msg, Instant now) {
    String q = msg.getQueue();
    List<String> keys =
        List.of(Keys.active(q), Keys.lease(q), Keys.task(q, msg.getId()), Keys.pending(q));
    List<byte[]> args = List.of(Keys.bytes(msg.getId()), number(unixNanos(now)));
    return finish("requeue", msg, Script.REQUEUE, keys, args);
  }

  /**
   * Moves a failed running task to the retry set (spec §3.13): {@code error_msg} and {@code
   * last_failed_at} = now are set; {@code retried} and the processed/failed counters move only for
   * a failure.
   *
   * @param msg the task's message as dequeued
   * @param now the caller's clock
   * @param retryAt when the task becomes due again
   * @param errorMessage the error text
   * @param isFailure whether the error counts as a failure
   * @return completes when done; fails with {@link TaskNotActiveException} if the task is not
   *     active (nothing written)
   */
  public CompletableFuture<Void> retry(
      TaskMessage msg, Instant now, Instant retryAt, String errorMessage, boolean isFailure) {
    String q = msg.getQueue();
    TaskMessage.Builder b =
        msg.toBuilder().setErrorMsg(errorMessage).setLastFailedAt(now.getEpochSecond());
    if (isFailure) {
      b.setRetried(msg.getRetried() + 1);
    }
    LocalDate day = day(now);
    List<String> keys =
        List.of(
            Keys.active(q),
            Keys.lease(q),
            Keys.task(q, msg.getId()),
            Keys.retry(q),
            Keys.processed(q, day),
            Keys.failed(q, day),
            Keys.processedTotal(q),
            Keys.failedTotal(q));
    List<byte[]> args =
        List.of(
            Keys.bytes(msg.getId()),
            b.build().toByteArray(),
            number(retryAt.getEpochSecond()),
            number(statsExpiry(now)),
            Keys.bytes(isFailure ? "1" : "0"));
    return finish("retry", msg, Script.RETRY, keys, args);
  }

  /**
   * Moves a running task that will not be retried to the archive (spec §3.14): {@code error_msg}
   * and {@code last_failed_at} = now are set, {@code retried} is unchanged, processed and failed
   * always count. The archive is then trimmed to tasks younger than 90 days and to the newest
   * {@value #ARCHIVE_MAX_SIZE}, deleting the trimmed tasks' hashes. The unique lock is kept until
   * its TTL.
   *
   * @return completes when done; fails with {@link TaskNotActiveException} if the task is not
   *     active (nothing written)
   */
  public CompletableFuture<Void> archive(TaskMessage msg, Instant now, String errorMessage) {
    TaskMessage archived =
        msg.toBuilder().setErrorMsg(errorMessage).setLastFailedAt(now.getEpochSecond()).build();
    return archive("archive", archived, null, now);
  }

  /**
   * Archives an active task whose stored message does not decode (spec §9.7). Its {@code msg} is
   * replaced by a valid message of type {@value #MALFORMED_TASK_TYPE} carrying the reason, so Go
   * Inspectors can still list it; the original bytes are kept in the hash field {@code
   * malformed_msg}. Counted as processed and failed.
   *
   * @param queue the queue
   * @param id the task ID
   * @param rawMessage the undecodable bytes, or null if the hash had no {@code msg} field
   * @param reason why it did not decode
   * @param now the caller's clock
   * @return completes when done; fails with {@link TaskNotActiveException} if the task is not
   *     active (nothing written)
   */
  public CompletableFuture<Void> archiveMalformed(
      String queue, String id, byte[] rawMessage, String reason, Instant now) {
    TaskMessage replacement =
        TaskMessage.newBuilder()
            .setId(id)
            .setQueue(queue)
            .setType(MALFORMED_TASK_TYPE)
            .setErrorMsg("malformed task message: " + reason)
            .setLastFailedAt(now.getEpochSecond())
            .build();
    return archive("archiveMalformed", replacement, rawMessage, now);
  }

  private CompletableFuture<Void> archive(
      String operation, TaskMessage msg, byte[] original, Instant now) {
    String q = msg.getQueue();
    String id = msg.getId();
    LocalDate day = day(now);
    List<String> keys =
        List.of(
            Keys.active(q),
            Keys.lease(q),
            Keys.task(q, id),
            Keys.archived(q),
            Keys.processed(q, day),
            Keys.failed(q, day),
            Keys.processedTotal(q),
            Keys.failedTotal(q));
    List<byte[]> args = new ArrayList<>(8);
    args.add(Keys.bytes(id));
    args.add(msg.toByteArray());
    args.add(number(now.getEpochSecond()));
    args.add(number(now.minus(STATS_TTL).getEpochSecond()));
    args.add(number(ARCHIVE_MAX_SIZE));
    args.add(number(statsExpiry(now)));
    args.add(Keys.bytes(Keys.taskPrefix(q)));
    if (original != null) {
      args.add(original);
    }
    return finish(operation, msg, Script.ARCHIVE, keys, args);
  }

  /**
   * Moves every due task of {@code scheduled} and then of {@code retry} to pending, or into its
   * group (spec §3.15), at most {@value #FORWARD_BATCH} per script call until none is due. A task
   * entering a group registers the group (spec §9.3); one entering pending gets {@code
   * pending_since} = now. IDs with no task hash are removed.
   *
   * <p>One bad record never stops the others (issue 10): an ID whose task key is not a hash, or
   * whose task is held in another state as well, is removed from its set and reported in {@link
   * Forwarded#isolated()} (its key is kept); an ID whose group key has the wrong type stays where
   * it is and is reported in {@link Forwarded#kept()}; a source set whose own keys have the wrong
   * type is reported in {@link Forwarded#unusable()} and the other source is still handled.
   */
  public CompletableFuture<Forwarded> forward(String queue, Instant now) {
    ForwardAccumulator acc = new ForwardAccumulator();
    return forwardFrom(queue, Keys.scheduled(queue), "scheduled", now, 0, acc)
        .thenCompose(v -> forwardFrom(queue, Keys.retry(queue), "retry", now, 0, acc))
        .thenApply(
            v -> new Forwarded(acc.moved, acc.isolated, acc.dropped, acc.kept, acc.unusable));
  }

  /** What a forward call gathered so far; confined to the call's completion chain. */
  private static final class ForwardAccumulator {
    int moved;
    final List<Isolated> isolated = new ArrayList<>();
    final List<Isolated> dropped = new ArrayList<>();
    final List<Isolated> kept = new ArrayList<>();
    final List<String> unusable = new ArrayList<>();
  }

  private CompletableFuture<Void> forwardFrom(
      String q, String source, String state, Instant now, int skip, ForwardAccumulator acc) {
    List<String> keys = List.of(source, Keys.pending(q), Keys.groups(q));
    List<byte[]> args =
        List.of(
            number(now.getEpochSecond()),
            Keys.bytes(Keys.taskPrefix(q)),
            number(unixNanos(now)),
            Keys.bytes(Keys.groupPrefix(q)),
            number(FORWARD_BATCH),
            Keys.bytes(state),
            Keys.bytes(Keys.queuePrefix(q)),
            number(skip));
    return runScript("forward", Script.FORWARD, keys, args, Commands::arrayReply)
        .handle(
            (reply, error) -> {
              if (error != null) {
                WrongKeyTypeException wrong = wrongKeyType("forward", error);
                if (wrong == null) {
                  return CompletableFuture.<Void>failedFuture(unwrap(error));
                }
                acc.unusable.add(wrong.reason());
                return CompletableFuture.<Void>completedFuture(null);
              }
              long moved = (Long) reply.get(0);
              List<Isolated> dropped =
                  dangling(
                      q, (List<?>) reply.get(1), "no task key behind it; dropped from " + state);
              List<Isolated> isolated = isolated(q, (List<?>) reply.get(2));
              List<Isolated> kept = isolated(q, (List<?>) reply.get(3));
              acc.moved += (int) moved;
              acc.isolated.addAll(isolated);
              acc.dropped.addAll(dropped);
              acc.kept.addAll(kept);
              return moved + dropped.size() + isolated.size() + kept.size() == 0
                  ? CompletableFuture.<Void>completedFuture(null)
                  : forwardFrom(q, source, state, now, skip + kept.size(), acc);
            })
        .thenCompose(f -> f);
  }

  /**
   * Deletes one batch of completed tasks whose retention ended at or before {@code now} (spec
   * §3.16). Call again while it returns a positive count.
   *
   * @param batchSize the most tasks to delete, >= 1
   * @return how many were deleted
   */
  public CompletableFuture<Integer> deleteExpiredCompleted(
      String queue, Instant now, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
    }
    List<String> keys = List.of(Keys.completed(queue));
    List<byte[]> args =
        List.of(
            number(now.getEpochSecond()), Keys.bytes(Keys.taskPrefix(queue)), number(batchSize));
    return runScript(
            "deleteExpiredCompleted",
            Script.DELETE_EXPIRED_COMPLETED,
            keys,
            args,
            Commands::integerReply)
        .thenApply(Long::intValue);
  }

  /**
   * Active tasks whose lease score is at or before {@code cutoff}, oldest first, at most {@value
   * #LEASE_EXPIRED_LIMIT} (spec §3.17). Each message is decoded and checked against its key on its
   * own: an unusable one comes back with a {@code decodeError} and does not fail the call. IDs with
   * no task hash are removed from active and lease and left out; IDs whose task key is not a hash,
   * or whose task is in lease but in another state, are removed from lease and reported in {@link
   * ExpiredLeases#isolated()}.
   *
   * @return the expired leases; fails with {@link WrongKeyTypeException} when the queue's lease or
   *     active key has the wrong type (nothing written)
   */
  public CompletableFuture<ExpiredLeases> listLeaseExpired(String queue, Instant cutoff) {
    List<String> keys = List.of(Keys.lease(queue), Keys.active(queue));
    List<byte[]> args =
        List.of(
            number(cutoff.getEpochSecond()),
            Keys.bytes(Keys.taskPrefix(queue)),
            number(LEASE_EXPIRED_LIMIT));
    return runScript(
            "listLeaseExpired", Script.LIST_LEASE_EXPIRED, keys, args, Commands::arrayReply)
        .exceptionallyCompose(
            e -> CompletableFuture.failedFuture(translated("listLeaseExpired", e)))
        .thenApply(
            reply -> {
              List<?> listed = (List<?>) reply.get(0);
              List<Leased> leased = new ArrayList<>(listed.size() / 2);
              for (int i = 0; i + 1 < listed.size(); i += 2) {
                leased.add(Leased.of(queue, text(listed.get(i)), (byte[]) listed.get(i + 1)));
              }
              return new ExpiredLeases(leased, isolated(queue, (List<?>) reply.get(1)));
            });
  }

  /** {@code error} unwrapped, as a {@link WrongKeyTypeException} if it is one. */
  private static Throwable translated(String operation, Throwable error) {
    WrongKeyTypeException wrong = wrongKeyType(operation, error);
    return wrong != null ? wrong : unwrap(error);
  }

  /**
   * Sets the lease of each of {@code ids} that still has one to {@code expiry} (spec §3.18: {@code
   * ZADD XX}, so a task no longer leased is not given a lease again).
   */
  public CompletableFuture<Void> extendLease(String queue, List<String> ids, Instant expiry) {
    if (ids.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    AsyncCommand<byte[], byte[], Long> zadd =
        Commands.zaddExisting(Keys.lease(queue), expiry.getEpochSecond(), List.copyOf(ids));
    dispatch(List.of(zadd));
    return bounded("extendLease", zadd).thenApply(reply -> null);
  }

  /**
   * Writes this server's heartbeat (spec §3.19): the registry entries {@code asynq:servers} and
   * {@code asynq:workers} scored now + ttl, the {@code ServerInfo} with that TTL, and the workers
   * hash (task ID to {@code WorkerInfo}) rewritten with that TTL; with no worker the hash is
   * absent.
   *
   * @param ttl how long the entries live without another heartbeat; rounded up to whole seconds
   */
  public CompletableFuture<Void> writeServerState(
      ServerInfo info, List<WorkerInfo> workers, Instant now, Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    // SETEX and EXPIRE take whole seconds: round up, so an entry never lapses before its beat.
    long ttlSeconds = ttl.plusNanos(999_999_999).toSeconds();
    String serverKey = Keys.server(info.getHost(), info.getPid(), info.getServerId());
    String workersKey = Keys.workers(info.getHost(), info.getPid(), info.getServerId());
    long expiry = now.getEpochSecond() + ttlSeconds;
    List<byte[]> args = new ArrayList<>(2 + 2 * workers.size());
    args.add(number(ttlSeconds));
    args.add(info.toByteArray());
    for (WorkerInfo w : workers) {
      args.add(Keys.bytes(w.getTaskId()));
      args.add(w.toByteArray());
    }
    return requireTypes("writeServerState", "zset", List.of(Keys.servers(), Keys.workers()))
        .thenCompose(
            checked -> {
              AsyncCommand<byte[], byte[], Long> servers =
                  Commands.zadd(Keys.servers(), expiry, serverKey);
              AsyncCommand<byte[], byte[], Long> workerRegistry =
                  Commands.zadd(Keys.workers(), expiry, workersKey);
              // Entries of servers that died without clearing them: pruned here rather than by
              // Inspectors, so that an Inspector only reads (and can run as a read-only Redis
              // user).
              String expired = "(" + now.getEpochSecond();
              AsyncCommand<byte[], byte[], Long> pruneServers =
                  Commands.zremRangeByScore(Keys.servers(), "-inf", expired);
              AsyncCommand<byte[], byte[], Long> pruneWorkers =
                  Commands.zremRangeByScore(Keys.workers(), "-inf", expired);
              dispatch(List.of(servers, workerRegistry, pruneServers, pruneWorkers));
              CompletableFuture<Long> state =
                  runScript(
                      "writeServerState",
                      Script.WRITE_SERVER_STATE,
                      List.of(serverKey, workersKey),
                      args,
                      Commands::integerReply);
              return CompletableFuture.allOf(
                  bounded("writeServerState", servers),
                  bounded("writeServerState", workerRegistry),
                  bounded("writeServerState", pruneServers),
                  bounded("writeServerState", pruneWorkers),
                  state);
            });
  }

  /**
   * Completes when each of {@code keys} is absent or of Redis type {@code expected}; else fails
   * with {@link WrongKeyTypeException} naming the first that is not. For registries in a slot of
   * their own, written beside a script: checked first, so that a registry of another type fails the
   * call before anything is written (a later change of its type is not guarded against).
   */
  CompletableFuture<Void> requireTypes(String operation, String expected, List<String> keys) {
    List<AsyncCommand<byte[], byte[], String>> types = new ArrayList<>(keys.size());
    for (String key : keys) {
      types.add(Commands.type(key));
    }
    dispatch(types);
    List<CompletableFuture<String>> bounded = new ArrayList<>(keys.size());
    for (AsyncCommand<byte[], byte[], String> t : types) {
      bounded.add(bounded(operation, t));
    }
    return CompletableFuture.allOf(bounded.toArray(new CompletableFuture<?>[0]))
        .thenRun(
            () -> {
              for (int i = 0; i < keys.size(); i++) {
                String actual = bounded.get(i).join();
                if (!actual.equals("none") && !actual.equals(expected)) {
                  throw WrongKeyTypeException.of(operation, keys.get(i), actual, expected);
                }
              }
            });
  }

  /** Removes this server's heartbeat entries and keys (spec §3.19 Clear). */
  public CompletableFuture<Void> clearServerState(String host, int pid, String serverId) {
    String serverKey = Keys.server(host, pid, serverId);
    String workersKey = Keys.workers(host, pid, serverId);
    AsyncCommand<byte[], byte[], Long> servers = Commands.zrem(Keys.servers(), serverKey);
    AsyncCommand<byte[], byte[], Long> workerRegistry = Commands.zrem(Keys.workers(), workersKey);
    AsyncCommand<byte[], byte[], Long> del = Commands.del(List.of(serverKey, workersKey));
    dispatch(List.of(servers, workerRegistry, del));
    return CompletableFuture.allOf(
        bounded("clearServerState", servers),
        bounded("clearServerState", workerRegistry),
        bounded("clearServerState", del));
  }

  /**
   * Stores a handler's result in its task hash, only while the task is active (spec §3.22, §9.12).
   *
   * @return true if written; false if the task is missing or not active (nothing written)
   */
  public CompletableFuture<Boolean> writeResult(String queue, String id, byte[] result) {
    return runScript(
            "writeResult",
            Script.WRITE_RESULT,
            List.of(Keys.task(queue, id)),
            List.of(result.clone()),
            Commands::integerReply)
        .thenApply(reply -> reply == 1L);
  }

  /** Asks every server to cancel the task if it runs it (spec §3.21). Best effort. */
  public CompletableFuture<Void> publishCancel(String taskId) {
    AsyncCommand<byte[], byte[], Long> publish =
        Commands.publish(Keys.cancelChannel(), Objects.requireNonNull(taskId, "taskId == null"));
    dispatch(List.of(publish));
    return bounded("publishCancel", publish).thenApply(receivers -> null);
  }

  /**
   * Subscribes to the channels of {@code listeners} (name → listener of the message text) on a
   * connection of its own: {@link Keys#cancelChannel()} and {@link Keys#pendingChannel()}.
   *
   * @return the subscription, or null when the broker runs on one borrowed connection and cannot
   *     subscribe
   */
  public Subscription subscribe(Map<String, Consumer<String>> listeners) {
    return source.subscribe(listeners);
  }

  /** The names of the groups of {@code queue} that have waiting tasks, sorted (spec §3.23). */
  public CompletableFuture<List<String>> listGroups(String queue) {
    AsyncCommand<byte[], byte[], List<Object>> smembers = Commands.smembers(Keys.groups(queue));
    dispatch(List.of(smembers));
    return bounded("listGroups", smembers)
        .thenApply(reply -> reply.stream().map(Broker::text).sorted().toList());
  }

  /**
   * Moves the oldest tasks of a group that is ready into a new aggregation set (spec §3.23): it is
   * ready when it holds {@code maxSize} tasks, when its oldest task waited {@code maxDelay}, or
   * when its newest waited {@code gracePeriod}. The set takes up to {@code maxSize} oldest tasks
   * (all with 0) with their group scores and is registered with deadline now + {@value
   * #AGGREGATION_SET_TTL_MINUTES} min. The group name is unregistered when the set takes the
   * group's last tasks (spec §9.7); a group found empty stays registered, since a grouped task
   * scheduled for later registers its group before it enters it (spec §9.2). Durations count in
   * whole seconds, a fraction rounded up.
   *
   * @param now the caller's clock
   * @param gracePeriod how long after the newest task the group waits; >= 0
   * @param maxDelay how long after the oldest task the group waits at most; zero for no limit
   * @param maxSize how many tasks make the group ready at once; 0 for no limit
   * @return the new set's key, or null when the group is not ready (or empty)
   */
  public CompletableFuture<String> aggregationCheck(
      String queue,
      String group,
      Instant now,
      Duration gracePeriod,
      Duration maxDelay,
      int maxSize) {
    if (gracePeriod.isNegative() || maxDelay.isNegative()) {
      throw new IllegalArgumentException(
          "gracePeriod and maxDelay must not be negative, were " + gracePeriod + ", " + maxDelay);
    }
    if (maxSize < 0) {
      throw new IllegalArgumentException("maxSize must be >= 0, was " + maxSize);
    }
    String setKey = Keys.aggregationSet(queue, group, java.util.UUID.randomUUID().toString());
    List<String> keys =
        List.of(Keys.group(queue, group), setKey, Keys.aggregationSets(queue), Keys.groups(queue));
    List<byte[]> args =
        List.of(
            number(maxSize),
            number(wholeSeconds(maxDelay)),
            number(wholeSeconds(gracePeriod)),
            number(now.plus(AGGREGATION_SET_TTL).getEpochSecond()),
            number(now.getEpochSecond()),
            Keys.bytes(group));
    return runScript(
            "aggregationCheck", Script.AGGREGATION_CHECK, keys, args, Commands::integerReply)
        .thenApply(reply -> reply == 1L ? setKey : null);
  }

  /**
   * Reads an aggregation set made by {@link #aggregationCheck} (spec §3.23), atomically: its
   * deadline and its members' messages, oldest first. A member that does not decode, or whose hash
   * is gone, is reported in {@link AggregationSet#unreadable()} instead of failing the read (spec
   * §9.7).
   *
   * @return the set, or null when it is no longer registered (deleted, or reclaimed by the
   *     recoverer)
   */
  public CompletableFuture<AggregationSet> readAggregationSet(String setKey) {
    String queue = Keys.queueOf(setKey);
    String group = queue == null ? null : Keys.groupOfAggregationSet(queue, setKey);
    if (group == null) {
      throw new IllegalArgumentException("not an aggregation set key: \"" + setKey + "\"");
    }
    List<String> keys = List.of(setKey, Keys.aggregationSets(queue));
    List<byte[]> args = List.of(Keys.bytes(Keys.taskPrefix(queue)));
    return runScript(
            "readAggregationSet", Script.READ_AGGREGATION_SET, keys, args, Commands::arrayReply)
        .thenApply(reply -> reply.isEmpty() ? null : aggregationSet(queue, group, setKey, reply));
  }

  private static AggregationSet aggregationSet(
      String queue, String group, String setKey, List<Object> reply) {
    Instant deadline = Instant.ofEpochSecond((long) Double.parseDouble(text(reply.get(0))));
    List<TaskMessage> messages = new ArrayList<>();
    List<AggregationSet.Unreadable> unreadable = new ArrayList<>();
    for (int i = 1; i + 2 < reply.size(); i += 3) {
      String id = text(reply.get(i));
      byte[] raw = (byte[]) reply.get(i + 2);
      Object found = reply.get(i + 1);
      if (found instanceof byte[] type) { // the task key is not a hash: not ours to touch
        String reason =
            Keys.task(queue, id) + " is a " + text(type) + ", not a hash; dropped from the set";
        unreadable.add(new AggregationSet.Unreadable(id, null, reason, true));
        continue;
      }
      if ((Long) found == 0L) {
        unreadable.add(new AggregationSet.Unreadable(id, null, "the task hash is gone", true));
        continue;
      }
      MessageDecoding.Result r = MessageDecoding.decode(queue, id, raw);
      if (r.message() != null) {
        messages.add(r.message());
      } else {
        unreadable.add(new AggregationSet.Unreadable(id, raw, r.error(), false));
      }
    }
    return new AggregationSet(queue, group, setKey, deadline, messages, unreadable);
  }

  /**
   * Archives a member of an aggregation set whose message does not decode, so it no longer blocks
   * its group (spec §9.7): out of the set, into {@code archived} scored now, its {@code msg}
   * replaced as {@link #archiveMalformed} does (original kept in {@code malformed_msg}). The
   * archive is trimmed; no counter moves, since the task never ran.
   *
   * @param rawMessage the undecodable bytes, or null if the hash had no {@code msg} field
   * @return true if archived, or if its task key holds another type than a hash: then the ID only
   *     leaves the set (that key is left as it is, and a WARN names it); false when the ID is no
   *     longer in the set or has no hash (nothing written)
   */
  public CompletableFuture<Boolean> archiveMalformedMember(
      String setKey, String id, byte[] rawMessage, String reason, Instant now) {
    String queue = Keys.queueOf(setKey);
    if (queue == null || Keys.groupOfAggregationSet(queue, setKey) == null) {
      throw new IllegalArgumentException("not an aggregation set key: \"" + setKey + "\"");
    }
    TaskMessage replacement =
        TaskMessage.newBuilder()
            .setId(id)
            .setQueue(queue)
            .setType(MALFORMED_TASK_TYPE)
            .setErrorMsg("malformed task message: " + reason)
            .setLastFailedAt(now.getEpochSecond())
            .build();
    List<String> keys = List.of(setKey, Keys.task(queue, id), Keys.archived(queue));
    List<byte[]> args = new ArrayList<>(7);
    args.add(Keys.bytes(id));
    args.add(replacement.toByteArray());
    args.add(number(now.getEpochSecond()));
    args.add(number(now.minus(STATS_TTL).getEpochSecond()));
    args.add(number(ARCHIVE_MAX_SIZE));
    args.add(Keys.bytes(Keys.taskPrefix(queue)));
    if (rawMessage != null) {
      args.add(rawMessage.clone());
    }
    return runScript(
            "archiveMalformedMember",
            Script.ARCHIVE_AGGREGATING,
            keys,
            args,
            Commands::integerReply)
        .thenApply(
            reply -> {
              if (reply == 2L) {
                log.warn(
                    "task {} left aggregation set {}: its key \"{}\" is not a hash and was left"
                        + " as it is",
                    id,
                    setKey,
                    Keys.task(queue, id));
              }
              return reply == 1L || reply == 2L;
            });
  }

  /**
   * Deletes an aggregation set whose aggregated task was enqueued (spec §3.23): each member's task
   * hash, the set and its registration. Unlike Asynq, each member's unique lock is released while
   * it still names the member (spec §9.5). A set already deleted or reclaimed is left alone.
   */
  public CompletableFuture<Void> deleteAggregationSet(String queue, String setKey) {
    if (Keys.groupOfAggregationSet(queue, setKey) == null) {
      throw new IllegalArgumentException(
          "not an aggregation set key of queue \"" + queue + "\": \"" + setKey + "\"");
    }
    List<String> keys = List.of(setKey, Keys.aggregationSets(queue));
    List<byte[]> args =
        List.of(Keys.bytes(Keys.taskPrefix(queue)), Keys.bytes(Keys.queuePrefix(queue)));
    return runScript(
            "deleteAggregationSet",
            Script.DELETE_AGGREGATION_SET,
            keys,
            args,
            Commands::integerReply)
        .thenApply(deleted -> null);
  }

  /**
   * Gives the tasks of every aggregation set whose deadline is at or before {@code now} back to
   * their group with their original scores, registering the group again (spec §3.23, §9.3), and
   * deletes those sets. IDs with no task hash (or a task key of another type) are dropped; a set
   * whose group key is not a zset is kept, to be tried again {@link #AGGREGATION_SET_TTL} later.
   * Runs {@value #RECLAIM_BATCH} sets per script call until none is left.
   *
   * @return the number of sets reclaimed
   */
  public CompletableFuture<Integer> reclaimStaleAggregationSets(String queue, Instant now) {
    return reclaimFrom(queue, now, 0);
  }

  private CompletableFuture<Integer> reclaimFrom(String queue, Instant now, int soFar) {
    List<String> keys = List.of(Keys.aggregationSets(queue), Keys.groups(queue));
    List<byte[]> args =
        List.of(
            number(now.getEpochSecond()),
            Keys.bytes(Keys.taskPrefix(queue)),
            Keys.bytes(Keys.groupPrefix(queue)),
            number(RECLAIM_BATCH),
            number(now.plus(AGGREGATION_SET_TTL).getEpochSecond()));
    return runScript(
            "reclaimStaleAggregationSets",
            Script.RECLAIM_STALE_AGGREGATION_SETS,
            keys,
            args,
            Commands::integerReply)
        .exceptionallyCompose(
            e -> CompletableFuture.failedFuture(translated("reclaimStaleAggregationSets", e)))
        .thenCompose(
            n ->
                n < RECLAIM_BATCH
                    ? CompletableFuture.completedFuture(soFar + n.intValue())
                    : reclaimFrom(queue, now, soFar + n.intValue()));
  }

  /**
   * Registers the groups among {@code groupKeys} (keys {@code asynq:{Q}:g:<group>} of {@code
   * queue}, found by a SCAN) that hold tasks of that group but are missing from the group registry,
   * as Go Asynq's forwarder and reclaim leave them (spec §9.3). Aggregation sets, empty or foreign
   * zsets and registered groups are left alone (register_groups.lua says how).
   *
   * @return the groups registered, with their sizes, in {@code groupKeys} order
   */
  public CompletableFuture<Map<String, Long>> registerGroups(
      String queue, Collection<String> groupKeys) {
    if (groupKeys.isEmpty()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    List<String> keys = new ArrayList<>(groupKeys.size() + 2);
    keys.add(Keys.groups(queue));
    keys.add(Keys.aggregationSets(queue));
    keys.addAll(groupKeys);
    List<byte[]> args =
        List.of(
            Keys.bytes(Keys.groupPrefix(queue)),
            Keys.bytes(Keys.taskPrefix(queue)),
            number(REGISTER_GROUPS_LOOK));
    return runScript("registerGroups", Script.REGISTER_GROUPS, keys, args, Commands::arrayReply)
        .thenApply(
            reply -> {
              Map<String, Long> registered = new LinkedHashMap<>();
              for (int i = 0; i + 1 < reply.size(); i += 2) {
                registered.put(text(reply.get(i)), (Long) reply.get(i + 1));
              }
              return registered;
            });
  }

  /** Whole seconds, rounding a fraction up. */
  private static long wholeSeconds(Duration d) {
    return d.getNano() > 0 ? d.getSeconds() + 1 : d.getSeconds();
  }

  /** Waits for {@code future} up to the command timeout and unwraps its failure. */
  public <T> T await(CompletableFuture<T> future) {
    return await(future, timeout.plusSeconds(1));
  }

  /**
   * Waits for {@code future} up to {@code max} (at most the command timeout) and unwraps its
   * failure; a shutdown's final writes use it so that a Redis that went away cannot hold them for
   * the whole command timeout.
   */
  public <T> T await(CompletableFuture<T> future, Duration max) {
    Duration wait = max.compareTo(timeout.plusSeconds(1)) < 0 ? max : timeout.plusSeconds(1);
    try {
      return getUnlessGone(future, Math.max(1, wait.toMillis()));
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new JasynqException(cause.getMessage(), cause);
    } catch (TimeoutException e) {
      future.cancel(false);
      // The default wait adds a second to the command timeout, so that Lettuce's own timeout wins.
      throw new JasynqException(
          "Redis did not answer within " + (wait.compareTo(timeout) > 0 ? timeout : wait), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(false);
      throw new JasynqException("interrupted while waiting for Redis", e);
    }
  }

  /**
   * Tells {@code listener} (null for none) what every command and the connection say about reaching
   * Redis: each command's answer or connection-level failure, and each lost and re-established
   * socket. A server's health checker listens, so an outage between two health PINGs is seen.
   */
  public void watchReachability(ReachabilityListener listener) {
    this.reachability = listener;
    connection.watchLink(listener);
  }

  /** Whether the connection's socket is open now (Lettuce reconnects one that is not). */
  public boolean isConnected() {
    return connection.isOpen();
  }

  /**
   * Whether {@code failure} (of a call on this broker, or null) comes from a connection that is
   * gone for good (see {@link RedisConnection#isGone(Throwable)}): closed by us or by its owner, or
   * its event loops shut down. Every command fails from then on; the server's parts then log their
   * failures at DEBUG, since nothing is wrong with Redis and the owner is closing things (in
   * whatever order).
   */
  public boolean connectionGone(Throwable failure) {
    return connection.isGone(failure);
  }

  /** The connection commands go through (for {@link RedisNodes}, which addresses single nodes). */
  RedisConnection connection() {
    return connection;
  }

  /** Releases the connection (closing it only if owned). Idempotent; never throws. */
  @Override
  public void close() {
    if (nodes != null) {
      nodes.close();
    }
    connection.release();
  }

  @Override
  public String toString() {
    return "Broker[" + connection + "]";
  }

  static Script scriptFor(EnqueueRequest r) {
    return switch (r.target()) {
      case PENDING -> Script.ENQUEUE;
      case SCHEDULED -> Script.SCHEDULE;
      case GROUP -> Script.ADD_TO_GROUP;
    };
  }

  static List<String> keysFor(EnqueueRequest r) {
    List<String> keys = new ArrayList<>(4);
    keys.add(Keys.task(r.queue(), r.id()));
    switch (r.target()) {
      case PENDING -> keys.add(Keys.pending(r.queue()));
      case SCHEDULED -> {
        keys.add(Keys.scheduled(r.queue()));
        keys.add(Keys.groups(r.queue()));
      }
      case GROUP -> {
        keys.add(Keys.group(r.queue(), r.group()));
        keys.add(Keys.groups(r.queue()));
      }
    }
    if (r.uniqueKey() != null) {
      keys.add(r.uniqueKey()); // never an empty key: "" hashes to slot 0 on Cluster
    }
    return keys;
  }

  static List<byte[]> argsFor(EnqueueRequest r) {
    List<byte[]> args = new ArrayList<>(5);
    args.add(r.message());
    args.add(Keys.bytes(r.id()));
    switch (r.target()) {
      case PENDING -> {
        args.add(number(r.nowUnixNanos()));
        if (r.uniqueKey() != null) {
          args.add(number(r.uniqueTtlSeconds()));
        }
      }
      case SCHEDULED -> {
        args.add(number(r.processAtUnix()));
        args.add(Keys.bytes(r.group()));
        if (r.uniqueKey() != null) {
          args.add(number(r.uniqueTtlSeconds()));
        }
      }
      case GROUP -> {
        args.add(number(TimeUnit.NANOSECONDS.toSeconds(r.nowUnixNanos())));
        args.add(Keys.bytes(r.group()));
        if (r.uniqueKey() != null) {
          args.add(number(r.uniqueTtlSeconds()));
        }
      }
    }
    return args;
  }

  static byte[] number(long n) {
    return Keys.bytes(Long.toString(n));
  }

  /** Runs {@code script} by SHA, falling back to EVAL on NOSCRIPT, bounded and translated. */
  <T> CompletableFuture<T> runScript(
      String operation,
      Script script,
      List<String> keys,
      List<byte[]> args,
      Supplier<CommandOutput<byte[], byte[], T>> reply) {
    AsyncCommand<byte[], byte[], T> run = Commands.evalsha(script, keys, args, reply);
    dispatch(List.of(run));
    return bounded(
        operation,
        withEvalFallback(run, () -> Commands.eval(script, keys, args, reply)),
        script,
        keys);
  }

  /**
   * Sends one command, bounded and translated like every broker call (for {@link InspectQueries}).
   */
  <T> CompletableFuture<T> send(String operation, AsyncCommand<byte[], byte[], T> command) {
    dispatch(List.of(command));
    return bounded(operation, command, null, firstKey(command));
  }

  /** The first key of {@code command}, for error messages; null if it has none. */
  private static List<String> firstKey(RedisCommand<byte[], byte[], ?> command) {
    java.nio.ByteBuffer key =
        command.getArgs() == null ? null : command.getArgs().getFirstEncodedKey();
    return key == null ? null : List.of(StandardCharsets.UTF_8.decode(key.duplicate()).toString());
  }

  /**
   * A completion write: NOT FOUND from the script becomes {@link TaskNotActiveException}. The
   * script replies {@code {1, skipped keys...}}: side keys (counters, locks) it left as they were.
   */
  private CompletableFuture<Void> finish(
      String operation, TaskMessage msg, Script script, List<String> keys, List<byte[]> args) {
    return runScript(operation, script, keys, args, Commands::arrayReply)
        .handle(
            (reply, error) -> {
              if (error != null) {
                return CompletableFuture.<Void>failedFuture(notActive(operation, msg, error));
              }
              warnSkipped(
                  operation,
                  "task " + msg.getId() + " of queue \"" + msg.getQueue() + "\"",
                  reply.subList(1, reply.size()));
              return CompletableFuture.<Void>completedFuture(null);
            })
        .thenCompose(f -> f);
  }

  /**
   * Logs, once per key, the side keys a script left as they were because they hold another type or
   * a value Redis cannot count on (lib_keys.lua): the task went on without them.
   */
  private void warnSkipped(String operation, String subject, List<Object> keys) {
    for (Object k : keys) {
      String key = text(k);
      if (warnedKeys.size() > 10_000) {
        warnedKeys.clear(); // daily counter names change every day: keep the set bounded
      }
      if (warnedKeys.add(key)) {
        log.warn(
            "{}: key \"{}\" holds another type, or a value Redis cannot count on, and was left as"
                + " it is; the write {} went on without it (warned once per key)",
            operation,
            key,
            subject);
      }
    }
  }

  private static Throwable notActive(String operation, TaskMessage msg, Throwable error) {
    Throwable e = unwrap(error);
    Throwable cause = e instanceof JasynqException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof RedisException
        && cause.getMessage() != null
        && cause.getMessage().startsWith("NOT FOUND")) {
      return new TaskNotActiveException(operation, msg.getQueue(), msg.getId(), cause);
    }
    return e;
  }

  private static void addUniqueKey(List<String> keys, TaskMessage msg) {
    if (!msg.getUniqueKey().isEmpty()) {
      keys.add(msg.getUniqueKey()); // never an empty key: "" hashes to slot 0 on Cluster
    }
  }

  static LocalDate day(Instant now) {
    return LocalDate.ofInstant(now, ZoneOffset.UTC);
  }

  private static long statsExpiry(Instant now) {
    return now.plus(STATS_TTL).getEpochSecond();
  }

  static long unixNanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  static String text(Object bulk) {
    return new String((byte[]) bulk, StandardCharsets.UTF_8);
  }

  private <T> CompletableFuture<T> withEvalFallback(
      AsyncCommand<byte[], byte[], T> first, Supplier<AsyncCommand<byte[], byte[], T>> eval) {
    // Nothing is chained on the hot path: only a failure builds the fallback.
    return first.exceptionallyCompose(error -> recover(unwrap(error), eval, Failover.RETRIES));
  }

  /**
   * What a script that failed with {@code error} becomes: on NOSCRIPT it is sent again as EVAL; on
   * a reply from a server that is no longer the master (READONLY after a Sentinel failover) the
   * connection is moved to the current master and the script is sent again there, up to {@code
   * retries} times. Such a script did not run, so sending it again cannot apply it twice.
   */
  private <T> CompletableFuture<T> recover(
      Throwable error, Supplier<AsyncCommand<byte[], byte[], T>> eval, int retries) {
    if (Commands.isNoScript(error)) {
      // The server's script cache was flushed (restart, failover, SCRIPT FLUSH).
      if (cluster != null) {
        cluster.forget();
      }
      AsyncCommand<byte[], byte[], T> fallback = eval.get();
      dispatch(List.of(fallback));
      return fallback.exceptionallyCompose(e -> recover(unwrap(e), eval, retries));
    }
    if (retries > 0 && Failover.notMaster(error)) {
      return connection
          .reconnect(connection.generation())
          .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .exceptionallyCompose(e -> CompletableFuture.failedFuture(error))
          .thenCompose(
              reconnected -> {
                AsyncCommand<byte[], byte[], T> again = eval.get();
                dispatch(List.of(again));
                return again.exceptionallyCompose(e -> recover(unwrap(e), eval, retries - 1));
              });
    }
    return CompletableFuture.failedFuture(error);
  }

  /**
   * Waits up to {@code millis} for {@code future}, but gives up at once when the connection is gone
   * for good: a command sent just before its owner shut the event loops down may never complete (no
   * timer is left to time it out), and a shutdown must not wait for it.
   */
  private <T> T getUnlessGone(CompletableFuture<T> future, long millis)
      throws ExecutionException, TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException();
      }
      try {
        return future.get(Math.min(left, GONE_POLL_NANOS), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        if (connection.isGone()) {
          future.cancel(false);
          throw new JasynqException("the Redis connection is closed");
        }
      }
    }
  }

  private void dispatch(List<? extends RedisCommand<byte[], byte[], ?>> commands) {
    if (connection.isGone()) { // fail now rather than queue for a reconnect that cannot happen
      RedisException closed = new RedisException("Connection is closed");
      for (RedisCommand<byte[], byte[], ?> c : commands) {
        c.completeExceptionally(closed);
      }
      return;
    }
    if (cluster != null) {
      ClusterDispatch.dispatch(connection.raw(), commands);
      return;
    }
    try {
      connection.raw().dispatch(commands);
    } catch (RuntimeException e) {
      for (RedisCommand<byte[], byte[], ?> c : commands) {
        c.completeExceptionally(e);
      }
    }
  }

  private static boolean timesOut(RedisConnection connection) {
    try {
      var options = connection.raw().getOptions();
      return options != null && options.getTimeoutOptions().isTimeoutCommands();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private <T> CompletableFuture<T> bounded(String operation, CompletableFuture<T> future) {
    return bounded(operation, future, null, null);
  }

  /**
   * {@code future} bounded by the command timeout, its failure translated (naming {@code
   * operation}, and for an ACL refusal what is missing: {@code script} and {@code keys}, either may
   * be null, are what the operation ran).
   */
  private <T> CompletableFuture<T> bounded(
      String operation, CompletableFuture<T> future, Script script, List<String> keys) {
    CompletableFuture<T> timed =
        lettuceTimesOut ? future : future.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return timed.handle(
        (value, error) -> {
          ReachabilityListener watcher = reachability;
          if (error == null) {
            if (watcher != null) {
              watcher.answered();
            }
            return value;
          }
          Throwable cause = unwrap(error);

          if (Failover.notMaster(cause)) {
            // Not retried here (a plain command may have been sent with others), but the next
            // command goes to the master the sentinels name now.
            connection.reconnect(connection.generation());
          }
          RuntimeException failure = translate(operation, future, cause, script, keys);
          if (watcher != null && Failover.unreachable(cause) && !connection.isGone(cause)) {
            watcher.unreachable(failure);
          }
          throw failure;
        });
  }

  private RuntimeException translate(
      String operation,
      CompletableFuture<?> future,
      Throwable cause,
      Script script,
      List<String> keys) {
    if (cause instanceof TimeoutException) {
      future.cancel(false); // a command not yet written is then skipped by Lettuce
      return new JasynqException(
          operation + " failed: Redis did not answer within " + timeout, cause);
    }
    if (cause instanceof JasynqException j) {
      return j;
    }
    WrongKeyTypeException wrongType =
        cause instanceof RedisException
            ? WrongKeyTypeException.ofReply(operation, cause.getMessage(), cause)
            : null;
    if (wrongType != null) {
      return wrongType;
    }
    if (cause instanceof RedisException && AclErrors.isRefusal(cause.getMessage())) {
      return new JasynqException(
          AclErrors.describe(operation, script, keys, cause.getMessage()), cause);
    }
    String auth = cause instanceof RedisException ? AuthErrors.describe(cause.getMessage()) : null;
    if (auth != null) {
      return new JasynqException(operation + " failed: " + auth, cause);
    }
    if (cause instanceof RedisException || cause instanceof CancellationException) {
      return new JasynqException(operation + " failed: " + cause.getMessage(), cause);
    }
    if (cause instanceof RuntimeException r) {
      return r;
    }
    if (cause instanceof Exception) {
      // A connection dropped under the command (IOException "Connection reset"): name the call.
      return new JasynqException(operation + " failed: " + cause, cause);
    }
    return new CompletionException(cause);
  }

  private boolean needsRegistration(String queue) {
    long now = System.nanoTime();
    Long last = registered.get(queue);
    if (last != null && now - last < REGISTRATION_REFRESH_NANOS) {
      return false;
    }
    if (registered.size() > 10_000) {
      registered.clear(); // a client writing to countless queues: just register every time
    }
    registered.put(queue, now);
    return true;
  }

  private static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
