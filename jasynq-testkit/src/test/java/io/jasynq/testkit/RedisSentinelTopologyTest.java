package io.jasynq.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@RedisSentinelTest
class RedisSentinelTopologyTest {
  @Test
  void uriIsALettuceSentinelUri(RedisSentinel sentinel) {
    RedisURI uri = RedisURI.create(sentinel.uri());

    assertThat(uri.getSentinelMasterId()).isEqualTo("mymaster");
    assertThat(uri.getSentinels())
        .extracting(RedisURI::getPort)
        .containsExactlyElementsOf(sentinel.sentinelPorts());
    assertThat(sentinel.masterName()).isEqualTo("mymaster");
    assertThat(sentinel.master()).isNotSameAs(sentinel.replica());
    assertThat(Topology.infoField(sentinel.master().port(), "replication", "role"))
        .isEqualTo("master");
    RedisServer replica = sentinel.replica();
    Topology.await(
        replica + " is a replica (after an earlier failover, once the sentinels demote it)",
        Duration.ofSeconds(20),
        () -> "slave".equals(Topology.infoField(replica.port(), "replication", "role")),
        () -> Topology.infoField(replica.port(), "replication", "role"));
  }

  @Test
  void lettuceFollowsAFailover(RedisSentinel sentinel) {
    RedisClient client = RedisClient.create(sentinel.uri());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      connection.sync().set("k", "before");
      assertThat(connection.sync().get("k")).isEqualTo("before");
      RedisServer oldMaster = sentinel.master();

      RedisServer newMaster = sentinel.failover();

      assertThat(newMaster).isNotSameAs(oldMaster).isSameAs(sentinel.master());
      assertThat(sentinel.replica()).isSameAs(oldMaster);
      Topology.await(
          "a write through the sentinel URI succeeds on the new master",
          Duration.ofSeconds(20),
          () -> {
            try {
              connection.sync().set("k", "after");
              return "after".equals(Topology.call(newMaster.port(), "GET", "k"));
            } catch (RuntimeException e) {
              return false;
            }
          },
          () -> "not yet");
      assertThat(connection.sync().get("k")).isEqualTo("after");
    } finally {
      client.shutdown();
    }
  }

  @Test
  void builderNamesBadValues() {
    assertThatThrownBy(() -> RedisSentinel.builder().masterName("my master"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'my master'");
    assertThatThrownBy(() -> RedisSentinel.builder().masterName(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("masterName");
  }
}
