package io.jasynq.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

@RedisClusterTest
class RedisClusterTopologyTest {
  @Test
  void lettuceWritesKeysOnEveryMaster(RedisCluster cluster) {
    assertThat(cluster.nodes()).hasSize(6);
    assertThat(cluster.seedUris()).hasSize(6).contains(cluster.uri());
    assertThat(cluster.masters()).hasSize(3);
    Map<RedisServer, String> keyPerMaster = keyPerMaster(cluster);
    assertThat(keyPerMaster).hasSize(3);

    RedisClusterClient client = RedisClusterClient.create(cluster.uri());
    try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
      keyPerMaster.forEach(
          (master, key) -> {
            connection.sync().set(key, "v-" + key);
            assertThat(connection.sync().get(key)).isEqualTo("v-" + key);
            assertThat(Topology.call(master.port(), "GET", key)).isEqualTo("v-" + key);
          });
    } finally {
      client.shutdown();
    }
  }

  @Test
  @SuppressWarnings("deprecation") // Lettuce 7 deprecates picking adaptive refresh triggers
  void killMasterPromotesItsReplica(RedisCluster cluster) {
    RedisURI uri = RedisURI.create(cluster.uri());
    uri.setTimeout(Duration.ofSeconds(1));
    RedisClusterClient client = RedisClusterClient.create(uri);
    client.setOptions(
        ClusterClientOptions.builder()
            .topologyRefreshOptions(
                ClusterTopologyRefreshOptions.builder()
                    .enablePeriodicRefresh(Duration.ofMillis(500))
                    .enableAdaptiveRefreshTrigger(
                        ClusterTopologyRefreshOptions.RefreshTrigger.values())
                    .build())
            .build());
    try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
      String key = "victim";
      connection.sync().set(key, "before");
      RedisServer master = cluster.masterFor(key);

      RedisServer promoted = cluster.killMaster(master);

      assertThat(master.isRunning()).isFalse();
      assertThat(cluster.masterFor(key)).isSameAs(promoted);
      assertThat(cluster.masters()).hasSize(3).doesNotContain(master);
      AtomicReference<RuntimeException> lastFailure = new AtomicReference<>();
      Topology.await(
          "a write to the failed-over slot succeeds",
          Duration.ofSeconds(20),
          () -> {
            try {
              connection.sync().set(key, "after");
              return "after".equals(connection.sync().get(key));
            } catch (RuntimeException e) {
              lastFailure.set(e);
              return false;
            }
          },
          () -> String.valueOf(lastFailure.get()));
      assertThat(Topology.call(promoted.port(), "GET", key)).isEqualTo("after");
      assertThatThrownBy(() -> cluster.killMaster(master))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a running master");
    } finally {
      client.shutdown();
    }
  }

  private static Map<RedisServer, String> keyPerMaster(RedisCluster cluster) {
    Map<RedisServer, String> keys = new HashMap<>();
    for (int i = 0; keys.size() < 3 && i < 1000; i++) {
      keys.putIfAbsent(cluster.masterFor("key-" + i), "key-" + i);
    }
    return keys;
  }
}
