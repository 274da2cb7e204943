package io.jasynq;

import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

/** The topology contract on one standalone Redis. */
@RedisTest
class StandaloneContractTest extends TopologyContractTest {
  private final RedisServer server;
  private final TestRedis redis;

  StandaloneContractTest(RedisServer server, TestRedis redis) {
    this.server = server;
    this.redis = redis;
  }

  @Override
  protected String uri() {
    return server.uri();
  }

  @Override
  protected RedisClusterCommands<String, byte[]> redis() {
    return redis.commands();
  }
}
