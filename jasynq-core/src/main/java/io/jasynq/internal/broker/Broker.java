package io.jasynq.internal.broker;

import io.jasynq.JasynqException;
import io.jasynq.internal.connection.ConnectionSource;
import io.jasynq.internal.connection.NodeConnections;
import io.jasynq.internal.connection.ReachabilityListener;
import io.jasynq.internal.connection.RedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.protocol.AsyncCommand;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The only way to Redis: one connection, and the operations on it grouped by job, as Go Asynq's
 * {@code rdb} package groups them. {@link #enqueues()} writes tasks, {@link #tasks()} moves them
 * between states (dequeue, leases, forwarding), {@link #outcomes()} records what their handlers
 * did, {@link #groups()} aggregates grouped tasks, and {@link #servers()} keeps the servers' state
 * and channels. Every operation is asynchronous, bounded by the source's command timeout, and fails
 * with a {@link JasynqException} naming the operation. Thread-safe: it shares one thread-safe
 * Lettuce connection.
 *
 * <p>Keys of the wrong Redis type: a write that must read or move a task through a key holding
 * another type (a pending list that is a string, a task key that is a set) fails with {@link
 * WrongKeyTypeException} naming the key, with nothing written.
 *
 * <p>The server-side scripts use {@code LMOVE} and {@code LPOS}, so they need Redis 6.2 or newer
 * (as Go Asynq v0.25+ servers do, wire-format §9.1).
 */
public final class Broker implements AutoCloseable {
  private final CommandRunner commands;
  private final ScriptEnqueuer scriptEnqueuer;
  private final Enqueuer enqueuer;
  private final TaskFlow tasks;
  private final TaskOutcomes outcomes;
  private final AggregationStore groups;
  private final ServerStore servers;
  private final LimitStore limits;
  // Non-null for durable enqueue on Redis Cluster: the connections writes to each slot go through.
  private final NodeConnections nodes;

  private Broker(ConnectionSource source, ReplicaWait replicaWait) {
    RedisConnection connection = source.open();
    this.commands = new CommandRunner(connection, source.commandTimeout());
    this.scriptEnqueuer = new ScriptEnqueuer(commands);
    this.nodes =
        replicaWait != null && connection.raw() instanceof StatefulRedisClusterConnection<?, ?> c
            ? new NodeConnections(c)
            : null;
    this.enqueuer =
        replicaWait == null
            ? scriptEnqueuer
            : new DurableEnqueuer(scriptEnqueuer, commands, replicaWait, nodes);
    this.tasks = new TaskFlow(commands);
    this.outcomes = new TaskOutcomes(commands);
    this.groups = new AggregationStore(commands);
    this.servers = new ServerStore(commands, source);
    this.limits = new LimitStore(commands);
  }

  /** A broker on a connection from {@code source}; {@link #close()} releases that connection. */
  public static Broker open(ConnectionSource source) {
    return open(source, null);
  }

  /**
   * A broker whose enqueues succeed only once {@code replicaWait} replicas have the task (see
   * {@link ReplicaWait} and {@link DurableEnqueuer}); null for none.
   */
  public static Broker open(ConnectionSource source, ReplicaWait replicaWait) {
    return new Broker(source, replicaWait);
  }

  /** Writes tasks: durably (waiting for replicas) if the broker was opened with a ReplicaWait. */
  public Enqueuer enqueues() {
    return enqueuer;
  }

  /** Dequeue, leases, forwarding of due tasks and deletion of expired completed ones. */
  public TaskFlow tasks() {
    return tasks;
  }

  /** What becomes of active tasks: done, completed, requeued, retried, archived, results. */
  public TaskOutcomes outcomes() {
    return outcomes;
  }

  /** Task groups and their aggregation sets. */
  public AggregationStore groups() {
    return groups;
  }

  /** Server heartbeats, and the cancellation and pending-task channels. */
  public ServerStore servers() {
    return servers;
  }

  /** Queues' fleet-wide limits (jasynq only). */
  public LimitStore limits() {
    return limits;
  }

  /** The plain enqueuer, which never waits for replicas (for {@link SchedulerStore}). */
  ScriptEnqueuer scriptEnqueuer() {
    return scriptEnqueuer;
  }

  /** The command plumbing (for the stores of this package that send their own commands). */
  CommandRunner commands() {
    return commands;
  }

  /** PING. */
  public CompletableFuture<Void> ping() {
    AsyncCommand<byte[], byte[], String> ping = Commands.ping();
    commands.dispatch(List.of(ping));
    return commands.bounded("ping", ping).thenApply(reply -> null);
  }

  /** Waits for {@code future} up to the command timeout and unwraps its failure. */
  public <T> T await(CompletableFuture<T> future) {
    return commands.await(future);
  }

  /**
   * Waits for {@code future} up to {@code max} (at most the command timeout) and unwraps its
   * failure; a shutdown's final writes use it so that a Redis that went away cannot hold them for
   * the whole command timeout.
   */
  public <T> T await(CompletableFuture<T> future, Duration max) {
    return commands.await(future, max);
  }

  /**
   * Tells {@code listener} (null for none) what every command and the connection say about reaching
   * Redis: each command's answer or connection-level failure, and each lost and re-established
   * socket. A server's health checker listens, so an outage between two health PINGs is seen.
   */
  public void watchReachability(ReachabilityListener listener) {
    commands.watchReachability(listener);
  }

  /** Whether the connection's socket is open now (Lettuce reconnects one that is not). */
  public boolean isConnected() {
    return commands.isConnected();
  }

  /**
   * Whether {@code failure} (of a call on this broker, or null) comes from a connection that is
   * gone for good (see {@link RedisConnection#isGone(Throwable)}): closed by us or by its owner, or
   * its event loops shut down. Every command fails from then on; the server's parts then log their
   * failures at DEBUG, since nothing is wrong with Redis and the owner is closing things (in
   * whatever order).
   */
  public boolean connectionGone(Throwable failure) {
    return commands.connectionGone(failure);
  }

  /**
   * Whether {@code failure} is Redis's error reply to a command (a refusal such as NOPERM or an
   * unknown command), as opposed to no answer (an outage, a timeout).
   */
  public boolean isErrorReply(Throwable failure) {
    for (Throwable c = failure; c != null; c = c.getCause()) {
      if (c instanceof io.lettuce.core.RedisCommandExecutionException) {
        return true;
      }
    }
    return false;
  }

  /** Releases the connection (closing it only if owned). Idempotent; never throws. */
  @Override
  public void close() {
    if (nodes != null) {
      nodes.close();
    }
    commands.connection().release();
  }

  @Override
  public String toString() {
    return "Broker[" + commands.connection() + "]";
  }
}
