package io.jasynq;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.support.ClusterQueues;
import io.jasynq.testkit.RedisCluster;
import io.jasynq.testkit.RedisClusterTest;
import io.jasynq.testkit.RedisServer;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The topology contract on a Redis Cluster (3 masters, 1 replica each), with one queue on each
 * master, through a {@code redis-cluster://} URI.
 */
@RedisClusterTest
class ClusterContractTest extends TopologyContractTest {
  private final RedisCluster cluster;
  private final List<String> queues;
  private final RedisClusterClient inspectClient;
  private final StatefulRedisClusterConnection<String, byte[]> inspect;

  ClusterContractTest(RedisCluster cluster) {
    this.cluster = cluster;
    this.queues = ClusterQueues.onEveryMaster(cluster);
    this.inspectClient = RedisClusterClient.create(cluster.uri());
    this.inspect = inspectClient.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
  }

  @AfterEach
  void closeInspection() {
    inspect.close();
    inspectClient.shutdown(Duration.ZERO, Duration.ofSeconds(5));
  }

  @Override
  protected String uri() {
    return ClusterQueues.uri(cluster);
  }

  @Override
  protected RedisClusterCommands<String, byte[]> redis() {
    return inspect.sync();
  }

  @Override
  protected List<String> queues() {
    return queues;
  }

  @Override
  protected boolean isCluster() {
    return true;
  }

  @Test
  void clusterNodesOfAQueueStartWithTheMasterOwningItsSlot() {
    try (Inspector inspector = Inspector.connect(uri())) {
      for (String q : queues) {
        RedisServer master = cluster.masterFor("asynq:{" + q + "}:pending");
        assertThat(inspector.clusterNodes(q).get(0).address())
            .isEqualTo(RedisServer.HOST + ":" + master.port());
        assertThat(inspector.redisInfo().masters())
            .containsKey(RedisServer.HOST + ":" + master.port());
      }
    }
  }
}
