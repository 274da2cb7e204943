package io.jasynq.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jasynq.Inspector;
import io.jasynq.testkit.RedisSentinel;
import io.jasynq.testkit.RedisSentinelTest;
import io.jasynq.testkit.RedisServer;
import java.util.List;

/** The API through Sentinel (one topology for the class): as on a standalone Redis. */
@RedisSentinelTest
class SentinelRoutesTest extends TopologyRoutesCases {
  private final RedisSentinel sentinel;

  SentinelRoutesTest(RedisSentinel sentinel) {
    this.sentinel = sentinel;
  }

  @Override
  protected String uri() {
    return sentinel.uri();
  }

  @Override
  protected List<String> queues() {
    return List.of("alpha", "beta");
  }

  @Override
  protected String address() {
    return sentinel.masterName()
        + " via sentinels "
        + String.join(
            ",", sentinel.sentinelPorts().stream().map(p -> RedisServer.HOST + ":" + p).toList());
  }

  @Override
  protected void checkRedisInfo(JsonNode info, Inspector inspector) {
    assertThat(info.get("cluster").asBoolean()).isFalse();
    assertThat(info.get("queue_locations").isNull()).isTrue();
    assertThat(info.get("masters")).isEmpty();
    assertThat(info.get("info").get("role").asText()).isEqualTo("master");
    assertThat(info.get("info").get("tcp_port").asInt()).isEqualTo(sentinel.master().port());
    assertThat(info.get("raw_info").asText()).contains("role:master\r\n");
  }
}
