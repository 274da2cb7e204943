package io.jasynq.internal.broker;

import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Script preloading on Redis Cluster, where a keyless {@code SCRIPT LOAD} in a pipeline reaches one
 * arbitrary node only (spec §8.3). Before a pipelined batch, the scripts it needs are loaded on
 * every node (replicas included, so a promoted replica has them) once per broker; a {@code
 * NOSCRIPT} seen later makes it load them again. Correctness never depends on it: every EVALSHA
 * still falls back to EVAL on its own node. Thread-safe.
 */
final class ClusterScripts {
  private static final Logger log = LoggerFactory.getLogger(ClusterScripts.class);

  private final StatefulRedisClusterConnection<?, ?> connection;
  private final Set<Script> loaded = ConcurrentHashMap.newKeySet();

  private ClusterScripts(StatefulRedisClusterConnection<?, ?> connection) {
    this.connection = connection;
  }

  /** Script preloading for {@code connection}, or null when it is not a cluster connection. */
  static ClusterScripts of(RedisConnection connection) {
    return connection.raw() instanceof StatefulRedisClusterConnection<?, ?> cluster
        ? new ClusterScripts(cluster)
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

  /** Forgets what was loaded: a node answered NOSCRIPT (restart, failover, SCRIPT FLUSH). */
  void forget() {
    loaded.clear();
  }
}
