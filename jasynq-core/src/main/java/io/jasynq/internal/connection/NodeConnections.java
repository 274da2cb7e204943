package io.jasynq.internal.connection;

import io.jasynq.JasynqException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The connections a Redis Cluster connection routes writes through, one per master, for durable
 * enqueue (the broker's {@code ReplicaWait}) on Cluster: the enqueue script and its {@code WAIT}
 * are both sent on the connection to the master owning the queue's slot, so WAIT follows the write
 * on the same socket (WAIT counts replicas for the writes of its own client connection only).
 *
 * <p>Lettuce routes a keyed write through the pooled node connection keyed by (WRITE, host, port)
 * of the slot's master ({@code PooledClusterConnectionProvider}); {@code getConnectionAsync(host,
 * port)} returns that same connection, whereas {@code getConnectionAsync(nodeId)} opens another
 * one. Each is wrapped once in a borrowed {@link RedisConnection} that counts its reconnects, so a
 * reconnect between the write and WAIT is seen. The cluster connection owns the node connections;
 * {@link #close()} only removes our listeners. Thread-safe.
 */
public final class NodeConnections {
  private final StatefulRedisClusterConnection<?, ?> cluster;
  private final Map<StatefulConnection<?, ?>, RedisConnection> tracked = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  public NodeConnections(StatefulRedisClusterConnection<?, ?> cluster) {
    this.cluster = cluster;
  }

  /**
   * The connection routed writes to {@code slot} use now: to the master that owns the slot in the
   * cluster connection's current topology.
   */
  public CompletableFuture<RedisConnection> forSlot(String operation, int slot) {
    RedisClusterNode master = cluster.getPartitions().getMasterBySlot(slot);
    if (master == null) {
      return CompletableFuture.failedFuture(
          new JasynqException(operation + " failed: no master serves slot " + slot + " now"));
    }
    RedisURI uri = master.getUri();
    // Host and port exactly as Lettuce keys its slot-routed write connections.
    return forAddress(uri.getHost(), uri.getPort());
  }

  /**
   * The connection routed writes to the node at {@code host:port} use (a {@code MOVED} redirect
   * names the new owner of a slot so).
   */
  public CompletableFuture<RedisConnection> forAddress(String host, int port) {
    try {
      return cluster.getConnectionAsync(host, port).thenApply(this::track);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private RedisConnection track(StatefulConnection<?, ?> node) {
    RedisConnection known = tracked.get(node);
    if (known != null) {
      return known;
    }
    // A new connection: forget the closed ones (the topology changed), so the map stays small.
    tracked.entrySet().removeIf(e -> !e.getKey().isOpen() && release(e.getValue()));
    RedisConnection wrapped =
        tracked.computeIfAbsent(node, n -> new RedisConnection(n, false, () -> {}));
    if (closed.get()) {
      close();
    }
    return wrapped;
  }

  private static boolean release(RedisConnection c) {
    c.release();
    return true;
  }

  /** Removes our listeners from the node connections (never closes them). Idempotent. */
  public void close() {
    closed.set(true);
    tracked.values().forEach(RedisConnection::release);
    tracked.clear();
  }
}
