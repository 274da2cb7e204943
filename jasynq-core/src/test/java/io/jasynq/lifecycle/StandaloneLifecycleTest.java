package io.jasynq.lifecycle;

import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;

/** The lifecycle matrix on a standalone Redis. */
@RedisTest
class StandaloneLifecycleTest extends LifecycleMatrixTest {
  private final RedisServer redis;

  StandaloneLifecycleTest(RedisServer redis) {
    this.redis = redis;
  }

  @Override
  String uri() {
    return redis.uri();
  }
}
