package io.jasynq.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jasynq.ClusterNode;
import io.jasynq.Inspector;
import io.jasynq.testkit.RedisCluster;
import io.jasynq.testkit.RedisClusterTest;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.TestRedis;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The API on a Redis Cluster (one cluster for the class), with the two queues' slots on different
 * masters; {@code /api/redis_info} lists the masters and where each queue lives.
 */
@RedisClusterTest
class ClusterRoutesTest extends TopologyRoutesCases {
  private final RedisCluster cluster;
  private final List<String> queues;

  ClusterRoutesTest(RedisCluster cluster) {
    this.cluster = cluster;
    this.queues = onTwoMasters(cluster);
  }

  /** Two queue names whose keys are served by different masters. */
  private static List<String> onTwoMasters(RedisCluster cluster) {
    List<RedisServer> masters = cluster.masters();
    List<String> found = new ArrayList<>();
    for (int m = 0; m < 2; m++) {
      for (int i = 0; ; i++) {
        String q = "q" + i;
        if (cluster.masterFor("asynq:{" + q + "}:pending").equals(masters.get(m))) {
          found.add(q);
          break;
        }
      }
    }
    return List.copyOf(found);
  }

  @Override
  protected String uri() {
    return "redis-cluster://" + address();
  }

  @Override
  protected String address() {
    return String.join(
        ",", cluster.nodes().stream().map(n -> RedisServer.HOST + ":" + n.port()).toList());
  }

  @Override
  protected List<String> queues() {
    return queues;
  }

  @Override
  protected void checkRedisInfo(JsonNode info, Inspector inspector) {
    assertThat(info.get("cluster").asBoolean()).isTrue();
    assertThat(info.get("cluster_info").get("cluster_state").asText()).isEqualTo("ok");
    List<String> masters = new ArrayList<>();
    info.get("masters").fieldNames().forEachRemaining(masters::add);
    assertThat(masters)
        .containsExactlyInAnyOrderElementsOf(
            cluster.masters().stream().map(n -> RedisServer.HOST + ":" + n.port()).toList());
    info.get("masters").forEach(f -> assertThat(f.get("role").asText()).isEqualTo("master"));
    assertThat(info.get("info").get("role").asText()).isEqualTo("master");

    Map<String, JsonNode> locations = new HashMap<>();
    info.get("queue_locations").forEach(l -> locations.put(l.get("queue").asText(), l));
    assertThat(locations.keySet())
        .containsExactlyInAnyOrder(queues.get(0), queues.get(1), Workers.QUEUE);
    for (String q : locations.keySet()) {
      JsonNode l = locations.get(q);
      String key = "asynq:{" + q + "}:pending";
      RedisServer master = cluster.masterFor(key);
      long slot = inspector.clusterKeySlot(q);
      assertThat(l.get("keyslot").asLong()).as(q).isEqualTo(slot);
      assertThat(slot).isEqualTo(keySlot(master, key));
      List<String> nodes = new ArrayList<>();
      l.get("nodes").forEach(n -> nodes.add(n.asText()));
      assertThat(nodes)
          .as(q)
          .isEqualTo(inspector.clusterNodes(q).stream().map(ClusterNode::address).toList());
      assertThat(nodes.get(0))
          .as(q + "'s master")
          .isEqualTo(RedisServer.HOST + ":" + master.port());
      assertThat(nodes).as(q + ": master and replica").hasSize(2);
    }
    assertThat(locations.get(queues.get(0)).get("nodes").get(0))
        .isNotEqualTo(locations.get(queues.get(1)).get("nodes").get(0));
  }

  private static long keySlot(RedisServer node, String key) {
    try (TestRedis redis = TestRedis.connect(node.uri())) {
      return redis.commands().clusterKeyslot(key);
    }
  }
}
