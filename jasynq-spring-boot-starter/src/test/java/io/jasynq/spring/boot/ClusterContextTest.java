package io.jasynq.spring.boot;

import io.jasynq.Inspector;
import io.jasynq.redis.RedisConnector;
import io.jasynq.testkit.RedisCluster;
import io.jasynq.testkit.RedisServer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A Spring context on {@code spring.data.redis.cluster.nodes}, with and without Boot's Redis. */
@Tag("topology")
class ClusterContextTest {
  private static RedisCluster cluster;
  private static RedisConnector onClusterConnector;
  private static Inspector onCluster;

  @BeforeAll
  static void startCluster() {
    cluster = RedisCluster.start();
    RedisServer seed = cluster.nodes().get(0);
    onClusterConnector = RedisConnector.builder().clusterNode(seed.host(), seed.port()).build();
    onCluster = Inspector.create(onClusterConnector);
  }

  @AfterAll
  static void stopCluster() {
    if (onCluster != null) {
      onCluster.close();
      onClusterConnector.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String[] clusterProperties(String queue, String... more) {
    String nodes =
        cluster.masters().stream()
            .map(node -> node.host() + ":" + node.port())
            .collect(Collectors.joining(","));
    String[] base = {
      "spring.data.redis.cluster.nodes=" + nodes,
      // Not a Redis: jasynq must not use spring.data.redis.host/port when Cluster is set.
      "spring.data.redis.port=1"
    };
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return TopologyChecks.serving(queue, all);
  }

  @Test
  void runsTasksOnClusterWithBootsConnectionDetails() {
    try (var context = Apps.run(Apps.EmailApp.class, clusterProperties("cluster-boot"))) {
      TopologyChecks.runsTaskSeesQueueAndIsHealthy(context, "cluster-boot", true, onCluster);
    }
  }

  @Test
  void runsTasksOnClusterBindingSpringDataRedisItself() {
    try (var context =
        Apps.run(
            Apps.EmailApp.class,
            clusterProperties("cluster-bound", TopologyChecks.WITHOUT_BOOT_DATA_REDIS))) {
      TopologyChecks.runsTaskSeesQueueAndIsHealthy(context, "cluster-bound", false, onCluster);
    }
  }
}
