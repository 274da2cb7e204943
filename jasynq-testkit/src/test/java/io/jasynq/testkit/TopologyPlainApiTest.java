package io.jasynq.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The plain API, without the extension, on the embedded Redis 6.2 binary. */
@Tag(RedisTopologyExtension.TAG)
class TopologyPlainApiTest {
  @Test
  void sentinelKillMasterPromotesTheReplica() {
    RedisSentinel sentinel =
        RedisSentinel.builder().masterName("jobs").binary(RedisBinary.embedded()).start();
    try (sentinel) {
      assertThat(sentinel.uri()).endsWith("?sentinelMasterId=jobs");
      assertThat(RedisURI.create(sentinel.uri()).getSentinelMasterId()).isEqualTo("jobs");
      RedisServer oldMaster = sentinel.master();

      RedisServer newMaster = sentinel.killMaster();

      assertThat(oldMaster.isRunning()).isFalse();
      assertThat(newMaster).isNotSameAs(oldMaster).isSameAs(sentinel.master());
      RedisClient client = RedisClient.create(sentinel.uri());
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        connection.sync().set("k", "v");
        assertThat(Topology.call(newMaster.port(), "GET", "k")).isEqualTo("v");
      } finally {
        client.shutdown();
      }
    }
    assertThat(sentinel.servers()).noneMatch(RedisServer::isRunning);
    sentinel.close(); // idempotent
    assertThatThrownBy(sentinel::failover)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void clusterFormsOnTheEmbeddedBinaryAndCloses() {
    RedisCluster cluster = RedisCluster.start(RedisBinary.embedded());
    try (cluster) {
      assertThat(cluster.masters()).hasSize(3);
      assertThat(cluster.nodes()).allMatch(n -> n.port() + 10000 <= 65535);
      RedisServer master = cluster.masterFor("{user}:1");
      assertThat(cluster.masterFor("{user}:2")).isSameAs(master);
      Topology.call(master.port(), "SET", "{user}:1", "x");
      assertThat(Topology.call(master.port(), "GET", "{user}:1")).isEqualTo("x");
    }
    assertThat(cluster.nodes()).noneMatch(RedisServer::isRunning);
    cluster.close(); // idempotent
    assertThatThrownBy(() -> cluster.killMaster(cluster.nodes().get(0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
