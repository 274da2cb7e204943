package io.jasynq.internal.broker;

import static io.jasynq.internal.broker.ScriptValues.number;

import io.jasynq.internal.broker.proto.ServerInfo;
import io.jasynq.internal.broker.proto.WorkerInfo;
import io.jasynq.internal.connection.ConnectionSource;
import io.jasynq.internal.connection.Listening;
import io.jasynq.internal.connection.Subscription;
import io.lettuce.core.protocol.AsyncCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What servers tell each other and Inspectors through Redis (wire-format §3.19, §3.21): each
 * server's heartbeat state and workers, and the channels for cancellations and new pending tasks.
 * Thread-safe.
 */
public final class ServerStore {
  private final CommandRunner commands;
  private final ConnectionSource source;

  ServerStore(CommandRunner commands, ConnectionSource source) {
    this.commands = commands;
    this.source = source;
  }

  /**
   * Writes this server's heartbeat (wire-format §3.19): the registry entries {@code asynq:servers}
   * and {@code asynq:workers} scored now + ttl, the {@code ServerInfo} with that TTL, and the
   * workers hash (task ID to {@code WorkerInfo}) rewritten with that TTL; with no worker the hash
   * is absent.
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
    return commands
        .requireTypes("writeServerState", "zset", List.of(Keys.servers(), Keys.workers()))
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
              commands.dispatch(List.of(servers, workerRegistry, pruneServers, pruneWorkers));
              CompletableFuture<Long> state =
                  commands.runScript(
                      "writeServerState",
                      Script.WRITE_SERVER_STATE,
                      List.of(serverKey, workersKey),
                      args,
                      Commands::integerReply);
              return CompletableFuture.allOf(
                  commands.bounded("writeServerState", servers),
                  commands.bounded("writeServerState", workerRegistry),
                  commands.bounded("writeServerState", pruneServers),
                  commands.bounded("writeServerState", pruneWorkers),
                  state);
            });
  }

  /** Removes this server's heartbeat entries and keys (wire-format §3.19 Clear). */
  public CompletableFuture<Void> clearServerState(String host, int pid, String serverId) {
    String serverKey = Keys.server(host, pid, serverId);
    String workersKey = Keys.workers(host, pid, serverId);
    AsyncCommand<byte[], byte[], Long> servers = Commands.zrem(Keys.servers(), serverKey);
    AsyncCommand<byte[], byte[], Long> workerRegistry = Commands.zrem(Keys.workers(), workersKey);
    AsyncCommand<byte[], byte[], Long> del = Commands.del(List.of(serverKey, workersKey));
    commands.dispatch(List.of(servers, workerRegistry, del));
    return CompletableFuture.allOf(
        commands.bounded("clearServerState", servers),
        commands.bounded("clearServerState", workerRegistry),
        commands.bounded("clearServerState", del));
  }

  /** Asks every server to cancel the task if it runs it (wire-format §3.21). Best effort. */
  public CompletableFuture<Void> publishCancel(String taskId) {
    AsyncCommand<byte[], byte[], Long> publish =
        Commands.publish(Keys.cancelChannel(), Objects.requireNonNull(taskId, "taskId == null"));
    commands.dispatch(List.of(publish));
    return commands.bounded("publishCancel", publish).thenApply(receivers -> null);
  }

  /**
   * Turns key tracking on for the broker's connection, redirected to connection {@code redirect} (a
   * {@link Subscription#clientId()}), in {@code BCAST} mode for {@code prefixes}: OFF first, since
   * ON again with the same prefixes is refused, and a new target needs it anyway.
   */
  public CompletableFuture<Void> trackKeys(long redirect, List<String> prefixes) {
    AsyncCommand<byte[], byte[], String> off = Commands.trackingOff();
    AsyncCommand<byte[], byte[], String> on = Commands.trackingOn(redirect, prefixes);
    commands.dispatch(List.of(off, on));
    return CompletableFuture.allOf(
        commands.bounded("trackKeys", off), commands.bounded("trackKeys", on));
  }

  /** Turns key tracking off for the broker's connection. */
  public CompletableFuture<Void> untrackKeys() {
    return commands.send("untrackKeys", Commands.trackingOff()).thenApply(ok -> null);
  }

  /**
   * Subscribes, on a connection of its own, to the channels of {@code listening} ({@link
   * Keys#cancelChannel()} and {@link Keys#pendingChannel()}) and tracks its key prefixes.
   *
   * @return the subscription, or null when the broker runs on one borrowed connection and cannot
   *     subscribe
   */
  public Subscription subscribe(Listening listening) {
    return source.subscribe(listening);
  }
}
