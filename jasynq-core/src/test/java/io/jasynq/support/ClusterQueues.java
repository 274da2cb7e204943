package io.jasynq.support;

import io.jasynq.testkit.RedisCluster;
import io.jasynq.testkit.RedisServer;
import java.util.ArrayList;
import java.util.List;

/** How cluster tests reach a test cluster and spread their queues over its masters. */
public final class ClusterQueues {
  private ClusterQueues() {}

  /** {@code redis-cluster://} naming every node as a seed. */
  public static String uri(RedisCluster cluster) {
    return "redis-cluster://"
        + String.join(
            ",", cluster.nodes().stream().map(n -> RedisServer.HOST + ":" + n.port()).toList());
  }

  /** One queue name per master, in master order. */
  public static List<String> onEveryMaster(RedisCluster cluster) {
    List<String> found = new ArrayList<>();
    for (RedisServer master : cluster.masters()) {
      for (int i = 0; ; i++) {
        String q = "q" + i;
        if (!found.contains(q) && cluster.masterFor("asynq:{" + q + "}:pending").equals(master)) {
          found.add(q);
          break;
        }
      }
    }
    return List.copyOf(found);
  }
}
