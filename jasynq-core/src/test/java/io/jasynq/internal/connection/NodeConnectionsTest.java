package io.jasynq.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.testkit.RedisCluster;
import io.jasynq.testkit.RedisClusterTest;
import io.jasynq.testkit.TestRedis;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The node connections durable enqueue writes and WAITs on: the very connection Lettuce routes the
 * slot's writes through, and a stamp that tells a reconnect apart.
 */
@RedisClusterTest
class NodeConnectionsTest {
  private static final String KEY = "asynq:{nodes}:pending";

  @Test
  void forSlotIsTheConnectionRoutedWritesGoThroughAndNoticesReconnects(RedisCluster cluster)
      throws Exception {
    RedisClusterClient client = RedisClusterClient.create(cluster.uri());
    try (StatefulRedisClusterConnection<String, String> c = client.connect(StringCodec.UTF8)) {
      NodeConnections nodes = new NodeConnections(c);
      try {
        c.sync().set(KEY, "routed");
        int slot = SlotHash.getSlot(KEY);
        RedisConnection node = nodes.forSlot("test", slot).get(10, TimeUnit.SECONDS);
        RedisClusterNode master = c.getPartitions().getMasterBySlot(slot);
        RedisURI uri = master.getUri();

        assertThat(node.raw()).isSameAs(c.getConnection(uri.getHost(), uri.getPort()));
        assertThat(node.raw()).isNotSameAs(c.getConnection(master.getNodeId()));
        assertThat(nodes.forSlot("test", slot).get(10, TimeUnit.SECONDS)).isSameAs(node);

        RedisConnection.Stamp before = node.stamp();
        assertThat(before.sameSocket(node.stamp())).isTrue();
        long id = ((StatefulRedisConnection<?, ?>) node.raw()).sync().clientId();
        try (TestRedis onMaster =
            TestRedis.connect("redis://" + uri.getHost() + ":" + uri.getPort())) {
          onMaster.commands().clientKill(KillArgs.Builder.id(id));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!(node.generation() > 0 && node.raw().isOpen()) && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertThat(node.generation()).as("reconnects counted").isPositive();
        assertThat(before.sameSocket(node.stamp())).as("a reconnect changes the stamp").isFalse();
        assertThat(
                new RedisConnection.Stamp(node, -1).sameSocket(new RedisConnection.Stamp(node, -1)))
            .as("an unknown socket equals none")
            .isFalse();
      } finally {
        nodes.close();
      }
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(5));
    }
  }
}
