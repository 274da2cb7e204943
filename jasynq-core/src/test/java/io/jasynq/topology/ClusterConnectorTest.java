package io.jasynq.topology;

import static io.jasynq.TaskOption.queue;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.redis.RedisConnector;
import io.jasynq.support.ClusterQueues;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.RedisCluster;
import io.jasynq.testkit.RedisClusterTest;
import io.jasynq.testkit.RedisServer;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Ways to reach a Redis Cluster: owned from the builder, borrowed from the caller's {@link
 * RedisClusterClient} or {@link StatefulRedisClusterConnection}. Borrowed objects keep working
 * after every jasynq object built on them is closed; owned threads are gone (the extension checks).
 */
@RedisClusterTest
class ClusterConnectorTest {
  private final RedisCluster cluster;
  private final List<String> queues;

  ClusterConnectorTest(RedisCluster cluster) {
    this.cluster = cluster;
    this.queues = ClusterQueues.onEveryMaster(cluster);
  }

  private ServerConfig config() {
    ServerConfig.Builder b = ServerConfig.builder().taskCheckInterval(Duration.ofMillis(20));
    queues.forEach(q -> b.queue(q, 1));
    return b.build();
  }

  /** Enqueues one task per queue with {@code client} and processes them with {@code server}. */
  private void roundTrip(Client client, Server server) {
    Set<String> ran = ConcurrentHashMap.newKeySet();
    server.start(ctx -> ran.add(ctx.queue()));
    for (String q : queues) {
      client.enqueue(Task.of("t"), queue(q));
    }
    Eventually.until(
        Duration.ofSeconds(60), "one task per master processed", () -> ran.size() == 3);
    assertThat(ran).containsExactlyInAnyOrderElementsOf(queues);
  }

  @Test
  void ownedFromTheBuilderWithSeedNodes() {
    RedisServer seed = cluster.nodes().get(0);
    try (RedisConnector connector =
            RedisConnector.builder()
                .clusterNode(RedisServer.HOST, seed.port())
                .topologyRefreshPeriod(Duration.ofSeconds(5))
                .clientName("cluster-test")
                .build();
        Client client = Client.create(connector);
        Server server = Server.create(connector, config())) {
      assertThat(connector.toString())
          .isEqualTo("RedisConnector[redis-cluster://127.0.0.1:" + seed.port() + "]");
      client.ping();
      roundTrip(client, server);
    }
  }

  @Test
  void borrowedClusterClientIsNeverShutDown() {
    RedisClusterClient mine = RedisClusterClient.create(cluster.uri());
    try {
      RedisConnector connector = RedisConnector.borrow(mine);
      Client client = Client.create(connector);
      Server server = Server.create(connector, config());
      roundTrip(client, server);
      // The wrong order on purpose: the connector first, then what was built on it.
      connector.close();
      server.close();
      client.close();
      try (StatefulRedisClusterConnection<String, String> c = mine.connect()) {
        assertThat(c.sync().ping()).isEqualTo("PONG");
      }
    } finally {
      mine.shutdown(Duration.ZERO, Duration.ofSeconds(5));
    }
  }

  @Test
  void borrowedClusterConnectionIsSharedAndLeftOpen() {
    RedisClusterClient mine = RedisClusterClient.create(cluster.uri());
    try (StatefulRedisClusterConnection<String, String> connection = mine.connect()) {
      try (RedisConnector connector = RedisConnector.borrow(connection);
          Client client = Client.create(connector);
          Server server = Server.create(connector, config())) {
        roundTrip(client, server); // no Pub/Sub here: the server finds the tasks by polling
      }
      assertThat(connection.isOpen()).isTrue();
      connection.sync().set("mine", "still works");
      assertThat(connection.sync().get("mine")).isEqualTo("still works");
    } finally {
      mine.shutdown(Duration.ZERO, Duration.ofSeconds(5));
    }
  }
}
