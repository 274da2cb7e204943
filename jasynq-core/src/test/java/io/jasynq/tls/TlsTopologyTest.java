package io.jasynq.tls;

import static io.jasynq.TaskOption.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.JasynqException;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.redis.RedisConnector;
import io.jasynq.support.ClusterQueues;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.RedisBinary;
import io.jasynq.testkit.RedisCluster;
import io.jasynq.testkit.RedisSentinel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Sentinel and Cluster over verified TLS: the sentinels, the data nodes and every cluster node
 * present certificates of one throwaway CA, which the connector is given.
 */
@Tag("topology")
class TlsTopologyTest {
  @BeforeAll
  static void needsTls() {
    RedisBinary binary = RedisBinary.locate();
    assumeTrue(binary.supportsTls(), binary + " was built without TLS: skipping TLS tests");
  }

  @Test
  void enqueuesAndProcessesThroughTlsSentinels() {
    try (RedisSentinel sentinel = RedisSentinel.builder().tls().start();
        RedisConnector redis =
            RedisConnector.builder()
                .uri(sentinel.tlsUri())
                .tlsCaFile(sentinel.caCertificate())
                .build()) {
      assertThat(redis.toString()).contains("rediss-sentinel://");
      roundTrip(redis, "default");
      assertRefusedWithTheWrongCa(
          RedisConnector.builder()
              .uri(sentinel.tlsUri())
              .tlsCaFile(sentinel.servers().get(0).wrongCaCertificate()));
    }
  }

  @Test
  void enqueuesAndProcessesOnATlsCluster() {
    try (RedisCluster cluster = RedisCluster.startTls();
        RedisConnector redis =
            RedisConnector.builder()
                .uri(
                    "rediss-cluster://"
                        + cluster.tlsSeedUris().stream()
                            .map(u -> u.substring("rediss://".length()))
                            .collect(Collectors.joining(",")))
                .tlsCaFile(cluster.caCertificate())
                .build()) {
      assertThat(redis.toString()).startsWith("RedisConnector[rediss-cluster://");
      for (String q : ClusterQueues.onEveryMaster(cluster)) {
        roundTrip(redis, q);
      }
      assertRefusedWithTheWrongCa(
          RedisConnector.builder()
              .uri(cluster.tlsUri().replace("rediss://", "rediss-cluster://"))
              .tlsCaFile(cluster.nodes().get(0).wrongCaCertificate()));
    }
  }

  private static void assertRefusedWithTheWrongCa(RedisConnector.Builder wrongCa) {
    try (RedisConnector redis = wrongCa.connectTimeout(Duration.ofSeconds(2)).build()) {
      assertThatThrownBy(() -> Client.create(redis))
          .isInstanceOf(JasynqException.class)
          .hasMessageContaining("TLS handshake with 127.0.0.1:")
          .hasMessageContaining("not signed by a trusted CA");
    }
  }

  private static void roundTrip(RedisConnector redis, String queueName) {
    Set<String> ran = ConcurrentHashMap.newKeySet();
    try (Client client = Client.create(redis);
        Server worker =
            Server.create(
                redis,
                ServerConfig.builder()
                    .queue(queueName, 1)
                    .taskCheckInterval(Duration.ofMillis(20))
                    .build());
        Inspector inspector = Inspector.create(redis)) {
      TaskInfo info = client.enqueue(Task.of("tls"), queue(queueName));
      worker.start(ctx -> ran.add(ctx.taskId()));
      Eventually.until(Duration.ofSeconds(30), "the task ran", () -> ran.contains(info.id()));
      Eventually.until(
          Duration.ofSeconds(30),
          "the inspector sees it processed",
          () -> inspector.queueInfo(queueName).processedTotal() >= 1);
    }
  }
}
