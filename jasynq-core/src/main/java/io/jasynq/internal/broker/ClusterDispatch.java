package io.jasynq.internal.broker;

import io.jasynq.internal.connection.RedisConnection;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.protocol.RedisCommand;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the broker dispatches on Redis Cluster: one command at a time (see {@link #dispatch}), and
 * scripts preloaded on every node. A keyless {@code SCRIPT LOAD} in a pipeline would reach one
 * arbitrary node only (wire-format §8.3), so before a pipelined batch the scripts it needs are
 * loaded on every node (replicas included, so a promoted replica has them), once per broker; a
 * {@code NOSCRIPT} seen later makes it load them again. Correctness never depends on it: every
 * EVALSHA still falls back to EVAL on its own node. Thread-safe.
 */
final class ClusterDispatch {
  private static final Logger log = LoggerFactory.getLogger(ClusterDispatch.class);

  private final StatefulRedisClusterConnection<?, ?> connection;
  private final Set<Script> loaded = ConcurrentHashMap.newKeySet();

  private ClusterDispatch(StatefulRedisClusterConnection<?, ?> connection) {
    this.connection = connection;
  }

  /** Script preloading for {@code connection}, or null when it is not a cluster connection. */
  static ClusterDispatch of(RedisConnection connection) {
    return connection.raw() instanceof StatefulRedisClusterConnection<?, ?> cluster
        ? new ClusterDispatch(cluster)
        : null;
  }

  /**
   * Loads on every node those of {@code scripts} not loaded yet. Completes (never exceptionally)
   * once they are loaded or the load failed; at once when there is nothing to load.
   */
  CompletableFuture<Void> preload(Set<Script> scripts) {
    Set<Script> missing = EnumSet.noneOf(Script.class);
    for (Script s : scripts) {
      if (!loaded.contains(s)) {
        missing.add(s);
      }
    }
    if (missing.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<?>[] loads = new CompletableFuture<?>[missing.size()];
    int i = 0;
    for (Script s : missing) {
      loads[i++] =
          connection
              .async()
              .scriptLoad(s.source())
              .toCompletableFuture()
              .thenRun(() -> loaded.add(s));
    }
    return CompletableFuture.allOf(loads)
        .handle(
            (ok, error) -> {
              if (error != null) {
                log.debug("loading scripts on every cluster node failed; EVAL fallback", error);
              }
              return null;
            });
  }

  /**
   * Dispatches {@code commands} one by one on a cluster connection. Lettuce routes a single command
   * without blocking (it waits for the node's connection asynchronously), but a collection is
   * routed by blocking the calling thread until each node's connection is open: on an event-loop
   * thread (a broker callback) that can stall forever, and it stalls a fetcher thread for the
   * connect timeout (we saw a fetcher and a shutdown wait for 20 minutes). No caller relies on the
   * order of the commands of one dispatch: each is atomic and independent of the others.
   */
  static void dispatch(
      StatefulConnection<byte[], byte[]> connection,
      List<? extends RedisCommand<byte[], byte[], ?>> commands) {
    for (RedisCommand<byte[], byte[], ?> c : commands) {
      try {
        connection.dispatch(c);
      } catch (RuntimeException e) {
        c.completeExceptionally(e);
      }
    }
  }

  /** Forgets what was loaded: a node answered NOSCRIPT (restart, failover, SCRIPT FLUSH). */
  void forget() {
    loaded.clear();
  }
}
