package io.jasynq.lifecycle;

import io.jasynq.testkit.RedisSentinel;
import io.jasynq.testkit.RedisSentinelTest;

/** The lifecycle matrix through Redis Sentinel (master, replica, three sentinels). */
@RedisSentinelTest
class SentinelLifecycleTest extends LifecycleMatrixTest {
  private final RedisSentinel sentinel;

  SentinelLifecycleTest(RedisSentinel sentinel) {
    this.sentinel = sentinel;
  }

  @Override
  String uri() {
    return sentinel.uri();
  }
}
