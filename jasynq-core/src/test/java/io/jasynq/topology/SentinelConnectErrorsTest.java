package io.jasynq.topology;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.Client;
import io.jasynq.JasynqException;
import io.jasynq.redis.RedisConnector;
import io.jasynq.testkit.RedisSentinel;
import io.jasynq.testkit.RedisSentinelTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A master name the sentinels do not know is named as such, not "null". */
@RedisSentinelTest
class SentinelConnectErrorsTest {
  @Test
  void anUnknownMasterNameSaysNoMasterNamedIt(RedisSentinel sentinel) {
    String uri =
        "redis-sentinel://127.0.0.1:" + sentinel.sentinelPorts().get(0) + "?master=no-such";
    try (RedisConnector redis =
        RedisConnector.builder()
            .uri(uri)
            .connectTimeout(Duration.ofSeconds(5))
            .commandTimeout(Duration.ofSeconds(5))
            .build()) {
      assertThatThrownBy(() -> Client.create(redis).close())
          .isInstanceOf(JasynqException.class)
          .hasMessageContaining("no master named \"no-such\"");
    }
  }
}
