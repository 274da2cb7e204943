package io.jasynq.internal.broker;

import static io.jasynq.internal.broker.EnqueueScripts.argsFor;
import static io.jasynq.internal.broker.EnqueueScripts.keysFor;
import static io.jasynq.internal.broker.EnqueueScripts.scriptFor;
import static io.jasynq.internal.broker.Failures.unwrap;

import io.jasynq.NotReplicatedException;
import io.jasynq.internal.broker.StampedReply.Written;
import io.jasynq.internal.connection.Failover;
import io.jasynq.internal.connection.NodeConnections;
import io.jasynq.internal.connection.RedisConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.RedisCommand;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * An {@link Enqueuer} whose enqueues succeed only once {@link ReplicaWait} replicas have the task:
 * each write is followed by a {@code WAIT} on the connection its reply came over (see {@link
 * ReplicaWait}). On Redis Cluster each task goes to the master owning its queue's slot over the
 * connection Lettuce routes that slot's writes through ({@link NodeConnections}), following {@code
 * MOVED}, and its WAIT follows on that same connection. Thread-safe.
 */
final class DurableEnqueuer implements Enqueuer {
  private final ScriptEnqueuer plain;
  private final CommandRunner commands;
  private final ReplicaWait replicaWait;
  private final NodeConnections nodes; // null unless on Redis Cluster

  /** Writes through {@code plain}, or on Cluster through {@code nodes} (else null). */
  DurableEnqueuer(
      ScriptEnqueuer plain,
      CommandRunner commands,
      ReplicaWait replicaWait,
      NodeConnections nodes) {
    this.plain = plain;
    this.commands = commands;
    this.replicaWait = replicaWait;
    this.nodes = nodes;
  }

  @Override
  public CompletableFuture<EnqueueOutcome> enqueue(EnqueueRequest request) {
    CompletableFuture<Written> write =
        nodes == null
            ? plain.run(
                request,
                scriptFor(request),
                keysFor(request),
                argsFor(request),
                () -> new StampedReply(commands.connection()))
            : node(request).thenCompose(node -> writeOnNode(request, node));
    return write.thenCompose(
        w -> {
          EnqueueOutcome o = w.outcome();
          return o != EnqueueOutcome.ENQUEUED
              ? CompletableFuture.completedFuture(o)
              : awaitReplicas(w.via(), List.of(request), List.of(w))
                  .thenApply(
                      failures -> {
                        if (failures.get(0) != null) {
                          throw failures.get(0);
                        }
                        return o;
                      });
        });
  }

  /**
   * Writes the batch as {@link ScriptEnqueuer#enqueueBatch} does (on Cluster: scripts loaded on
   * every node first, then each task written on the connection to its slot's master), then sends
   * one WAIT per connection written to, after all of the batch's writes there.
   */
  @Override
  public List<CompletableFuture<EnqueueOutcome>> enqueueBatch(List<EnqueueRequest> requests) {
    if (nodes == null) {
      return confirmed(
          requests, plain.run(requests, () -> new StampedReply(commands.connection())));
    }
    Set<Script> scripts = EnumSet.noneOf(Script.class);
    for (EnqueueRequest r : requests) {
      scripts.add(scriptFor(r));
    }
    CompletableFuture<Void> loaded = commands.cluster().preload(scripts);
    Map<Integer, CompletableFuture<RedisConnection>> bySlot = new HashMap<>();
    List<CompletableFuture<Written>> written = new ArrayList<>(requests.size());
    for (EnqueueRequest r : requests) {
      CompletableFuture<RedisConnection> node =
          bySlot.computeIfAbsent(SlotHash.getSlot(Keys.task(r.queue(), r.id())), slot -> node(r));
      written.add(loaded.thenCompose(v -> node).thenCompose(to -> writeOnNode(r, to)));
    }
    return confirmed(requests, written);
  }

  /** The connection to the master owning {@code request}'s slot (on Cluster). */
  private CompletableFuture<RedisConnection> node(EnqueueRequest request) {
    return commands.bounded(
        "enqueue",
        nodes.forSlot("enqueue", SlotHash.getSlot(Keys.task(request.queue(), request.id()))));
  }

  /** Registers the queue (routed as usual), then runs the enqueue script on {@code node}. */
  private CompletableFuture<Written> writeOnNode(EnqueueRequest r, RedisConnection node) {
    Script script = scriptFor(r);
    List<String> keys = keysFor(r);
    List<byte[]> args = argsFor(r);
    CompletableFuture<Void> registered = plain.register(r.queue());
    return (registered == null ? CompletableFuture.<Void>completedFuture(null) : registered)
        .thenCompose(
            v ->
                commands.bounded(
                    "enqueue",
                    onNode(
                        node,
                        Commands.evalsha(script, keys, args, () -> new StampedReply(node)),
                        script,
                        keys,
                        args,
                        Failover.RETRIES),
                    script,
                    keys));
  }

  /**
   * Sends an enqueue script on the node connection {@code node}. On NOSCRIPT it is sent again as
   * EVAL on the same node; on a {@code MOVED} redirect (the slot has a new master this client's
   * topology does not show yet; the script did not run) it is sent to the master the redirect
   * names, over the connection routed writes to it use, up to {@code hops} times. The reply that
   * counts names the node connection and socket it came over.
   */
  private CompletableFuture<Written> onNode(
      RedisConnection node,
      AsyncCommand<byte[], byte[], Written> run,
      Script script,
      List<String> keys,
      List<byte[]> args,
      int hops) {
    send(node, run);
    return run.exceptionallyCompose(
        error -> {
          Throwable e = unwrap(error);
          if (Commands.isNoScript(e)) {
            commands.cluster().forget();
            AsyncCommand<byte[], byte[], Written> eval =
                Commands.eval(script, keys, args, () -> new StampedReply(node));
            return onNode(node, eval, script, keys, args, hops);
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
                            Commands.evalsha(script, keys, args, () -> new StampedReply(next)),
                            script,
                            keys,
                            args,
                            hops - 1));
          }
          return CompletableFuture.failedFuture(error);
        });
  }

  /** Sends {@code command} on a cluster node connection. */
  private static void send(RedisConnection node, RedisCommand<byte[], byte[], ?> command) {
    try {
      node.raw().dispatch(command);
    } catch (RuntimeException e) {
      command.completeExceptionally(e);
    }
  }

  /**
   * The batch's outcomes once one WAIT per connection written to, after all of the batch's writes,
   * has confirmed them (or not).
   */
  private List<CompletableFuture<EnqueueOutcome>> confirmed(
      List<EnqueueRequest> requests, List<CompletableFuture<Written>> written) {
    List<CompletableFuture<EnqueueOutcome>> results =
        written.stream().map(f -> f.thenApply(Written::outcome)).toList();
    // failures.get(i): why request i is not confirmed, or null (confirmed, or not ENQUEUED).
    CompletableFuture<List<RuntimeException>> failures =
        CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0]))
            .handle((v, e) -> null)
            .thenCompose(v -> awaitAll(requests, results, written));
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

  /** One WAIT per connection the batch's ENQUEUED writes came over; all completed. */
  private CompletableFuture<List<RuntimeException>> awaitAll(
      List<EnqueueRequest> requests,
      List<CompletableFuture<EnqueueOutcome>> results,
      List<CompletableFuture<Written>> written) {
    // Written requests, grouped by the connection their reply came over.
    Map<RedisConnection, List<Integer>> byConnection = new LinkedHashMap<>();
    for (int i = 0; i < requests.size(); i++) {
      if (results.get(i).getNow(null) == EnqueueOutcome.ENQUEUED) {
        byConnection.computeIfAbsent(written.get(i).join().via(), k -> new ArrayList<>()).add(i);
      }
    }
    List<RuntimeException> all = new ArrayList<>(Collections.nCopies(requests.size(), null));
    List<CompletableFuture<?>> waits = new ArrayList<>();
    byConnection.forEach(
        (via, indexes) ->
            waits.add(
                awaitReplicas(
                        via,
                        indexes.stream().map(requests::get).toList(),
                        indexes.stream().map(i -> written.get(i).join()).toList())
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
  }

  /**
   * Sends {@code WAIT} on {@code via} after {@code requests} (all ENQUEUED there, as {@code
   * written} says) and says, per request, whether it is confirmed (null) or why not. A write is
   * confirmed only if WAIT counted enough replicas and its reply came over the same socket as
   * WAIT's: WAIT counts the writes of its own client connection, and a reconnect in between means
   * WAIT may have run on another server (the new master after a failover), which says nothing about
   * the write.
   */
  private CompletableFuture<List<RuntimeException>> awaitReplicas(
      RedisConnection via, List<EnqueueRequest> requests, List<Written> written) {
    ReplicaWait w = replicaWait;
    AsyncCommand<byte[], byte[], StampedReply.Written> wait =
        Commands.waitReplicas(w.replicas(), w.timeout().toMillis(), () -> new StampedReply(via));
    if (via == commands.connection()) {
      commands.dispatch(List.of(wait));
    } else {
      send(via, wait);
    }
    return commands
        .bounded("enqueue (WAIT for replicas)", wait)
        .handle(
            (acked, error) -> {
              List<RuntimeException> failures = new ArrayList<>(requests.size());
              for (int i = 0; i < requests.size(); i++) {
                EnqueueRequest r = requests.get(i);
                String why = null;
                long count = acked == null || acked.reply() == null ? 0 : acked.reply();
                if (error != null) {
                  why = "WAIT failed: " + unwrap(error).getMessage();
                } else if (!acked.stamp().sameSocket(written.get(i).stamp())) {
                  why = "the connection moved or reconnected between the write and WAIT";
                  count = 0;
                } else if (count >= w.replicas()) {
                  failures.add(null);
                  continue;
                }
                failures.add(
                    new NotReplicatedException(
                        r.queue(), r.id(), count, w.replicas(), w.timeout(), why));
              }
              return failures;
            });
  }
}
