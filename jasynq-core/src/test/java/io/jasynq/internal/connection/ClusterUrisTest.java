package io.jasynq.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.redis.RedisConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code redis-cluster://} URIs and the cluster builder's rules. */
class ClusterUrisTest {
  @Test
  void parsesSeedsCredentialsAndTls() {
    ClusterUris.Parsed p =
        ClusterUris.parse("redis-cluster://alice:s%40cret@h1:7000,h2,[::1]:7002/0");
    assertThat(p.nodes())
        .containsExactly(
            new ClusterUris.Node("h1", 7000),
            new ClusterUris.Node("h2", 6379),
            new ClusterUris.Node("::1", 7002));
    assertThat(p.username()).isEqualTo("alice");
    assertThat(new String(p.password())).isEqualTo("s@cret");
    assertThat(p.tls()).isFalse();
    assertThat(ClusterUris.parse("rediss-cluster://:pw@h1:7000").tls()).isTrue();
    assertThat(ClusterUris.parse("rediss-cluster://:pw@h1:7000").username()).isNull();
  }

  @Test
  void connectorDescriptionNamesSeedsButNeverThePassword() {
    try (RedisConnector c = RedisConnector.create("redis-cluster://alice:secret@h1:7000,h2:7001")) {
      assertThat(c.toString())
          .isEqualTo("RedisConnector[redis-cluster://alice@h1:7000,h2:7001]")
          .doesNotContain("secret");
    }
    try (RedisConnector c =
        RedisConnector.builder()
            .clusterNode("h1", 7000)
            .clusterNode("::1", 7001)
            .tls(true)
            .build()) {
      assertThat(c.toString()).isEqualTo("RedisConnector[rediss-cluster://h1:7000,[::1]:7001]");
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "redis-cluster://h1:7000/3|Redis Cluster has only database 0, was \"3\"",
        "redis-cluster://h1:7000,,h2|empty seed node address",
        "redis-cluster://h1:x|port must be a number in \"h1:x\"",
        "redis-cluster://h1:70000|port must be in 1..65535, was 70000",
        "redis-cluster://secret@h1|user info has no ':'",
        "redis-cluster://h1?timeout=5|query parameters",
        "redis-cluster://|no seed node"
      })
  void rejectsWithAReason(String uri, String reason) {
    assertThatThrownBy(() -> RedisConnector.create(uri))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason)
        .hasMessageNotContaining("secret");
  }

  @Test
  void builderRejectsWhatAClusterCannotDo() {
    assertThatThrownBy(() -> RedisConnector.builder().clusterNode("h", 7000).database(2).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("database must be 0 on Redis Cluster (it has no other), was 2");
    assertThatThrownBy(
            () ->
                RedisConnector.builder()
                    .clusterNode("h", 7000)
                    .sentinel("s", 26379)
                    .masterName("m")
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> RedisConnector.builder().clusterNode("h", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cluster node port must be in 1..65535, was 0");
    assertThatThrownBy(
            () -> RedisConnector.builder().topologyRefreshPeriod(java.time.Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("topologyRefreshPeriod must be positive, was PT0S");
  }

  @Test
  void aLaterNonClusterUriReplacesTheSeeds() {
    try (RedisConnector c =
        RedisConnector.builder().uri("redis-cluster://h1:7000").uri("redis://h2:6380/1").build()) {
      assertThat(c.toString()).isEqualTo("RedisConnector[redis://h2:6380/1]");
    }
  }
}
