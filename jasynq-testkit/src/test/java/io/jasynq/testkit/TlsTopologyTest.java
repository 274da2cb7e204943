package io.jasynq.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** TLS Sentinel and Cluster topologies serve a verifying Lettuce client over TLS only. */
@Tag(RedisTopologyExtension.TAG)
class TlsTopologyTest {
  @BeforeAll
  static void needsTls() {
    RedisBinary binary = RedisBinary.locate();
    assumeTrue(binary.supportsTls(), binary + " was built without TLS: skipping TLS tests");
  }

  @Test
  void sentinelsAndServersSpeakTls() {
    try (RedisSentinel sentinel = RedisSentinel.builder().tls().start()) {
      assertThat(sentinel.isTls()).isTrue();
      RedisURI uri = RedisURI.create(sentinel.tlsUri());
      assertThat(uri.getSentinels())
          .extracting(RedisURI::getPort)
          .containsExactlyElementsOf(sentinel.tlsSentinelPorts());
      assertThat(sentinel.master().isTls()).isTrue();
      RedisClient client = RedisClient.create(uri);
      try {
        client.setOptions(
            ClientOptions.builder()
                .sslOptions(
                    SslOptions.builder().trustManager(sentinel.caCertificate().toFile()).build())
                .build());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
          connection.sync().set("k", "v");
          assertThat(connection.sync().get("k")).isEqualTo("v");
        }
      } finally {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    }
  }

  @Test
  void clusterNodesSpeakTls() {
    try (RedisCluster cluster = RedisCluster.startTls()) {
      assertThat(cluster.isTls()).isTrue();
      assertThat(cluster.tlsSeedUris()).hasSize(6).allMatch(u -> u.startsWith("rediss://"));
      RedisClusterClient client = RedisClusterClient.create(cluster.tlsUri());
      try {
        client.setOptions(
            ClusterClientOptions.builder()
                .sslOptions(
                    SslOptions.builder().trustManager(cluster.caCertificate().toFile()).build())
                .build());
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
          for (String key : new String[] {"{a}k", "{b}k", "{c}k"}) {
            connection.sync().set(key, "v");
            assertThat(connection.sync().get(key)).isEqualTo("v");
          }
          assertThat(connection.getPartitions())
              .allMatch(
                  n ->
                      cluster.tlsSeedUris().contains("rediss://127.0.0.1:" + n.getUri().getPort()));
        }
      } finally {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    }
  }
}
