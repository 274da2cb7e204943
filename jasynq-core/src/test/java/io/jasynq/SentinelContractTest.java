package io.jasynq;

import io.jasynq.testkit.RedisSentinel;
import io.jasynq.testkit.RedisSentinelTest;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/** The topology contract through Sentinel (1 master, 1 replica, 3 sentinels). */
@RedisSentinelTest
class SentinelContractTest extends TopologyContractTest {
  private final RedisSentinel sentinel;
  private final RedisClient inspectClient;
  private final StatefulRedisConnection<String, byte[]> inspect;

  SentinelContractTest(RedisSentinel sentinel) {
    this.sentinel = sentinel;
    RedisURI.Builder uri =
        RedisURI.Builder.sentinel(
            "127.0.0.1", sentinel.sentinelPorts().get(0), sentinel.masterName());
    for (int port : sentinel.sentinelPorts().subList(1, sentinel.sentinelPorts().size())) {
      uri.withSentinel("127.0.0.1", port);
    }
    this.inspectClient = RedisClient.create(uri.build());
    this.inspect = inspectClient.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
  }

  @AfterEach
  void closeInspection() {
    inspect.close();
    inspectClient.shutdown(Duration.ZERO, Duration.ofSeconds(5));
  }

  @Override
  protected String uri() {
    return sentinel.uri();
  }

  @Override
  protected RedisClusterCommands<String, byte[]> redis() {
    return inspect.sync();
  }
}
