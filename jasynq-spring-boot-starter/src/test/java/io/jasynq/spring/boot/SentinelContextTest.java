package io.jasynq.spring.boot;

import io.jasynq.Inspector;
import io.jasynq.testkit.RedisSentinel;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A Spring context on {@code spring.data.redis.sentinel.*}, with and without Boot's Redis. */
@Tag("topology")
class SentinelContextTest {
  private static RedisSentinel sentinel;
  private static Inspector onMaster;

  @BeforeAll
  static void startSentinel() {
    sentinel = RedisSentinel.start();
    onMaster = Inspector.connect(sentinel.master().uri());
  }

  @AfterAll
  static void stopSentinel() {
    if (onMaster != null) {
      onMaster.close();
    }
    if (sentinel != null) {
      sentinel.close();
    }
  }

  private static String[] sentinelProperties(String queue, String... more) {
    String nodes =
        sentinel.sentinelPorts().stream()
            .map(port -> "127.0.0.1:" + port)
            .collect(Collectors.joining(","));
    String[] base = {
      "spring.data.redis.sentinel.master=" + sentinel.masterName(),
      "spring.data.redis.sentinel.nodes=" + nodes,
      // Not a Redis: jasynq must not use spring.data.redis.host/port when Sentinel is set.
      "spring.data.redis.port=1"
    };
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return TopologyChecks.serving(queue, all);
  }

  @Test
  void runsTasksThroughSentinelWithBootsConnectionDetails() {
    try (var context = Apps.run(Apps.EmailApp.class, sentinelProperties("sentinel-boot"))) {
      TopologyChecks.runsTaskSeesQueueAndIsHealthy(context, "sentinel-boot", true, onMaster);
    }
  }

  @Test
  void runsTasksThroughSentinelBindingSpringDataRedisItself() {
    try (var context =
        Apps.run(
            Apps.EmailApp.class,
            sentinelProperties("sentinel-bound", TopologyChecks.WITHOUT_BOOT_DATA_REDIS))) {
      TopologyChecks.runsTaskSeesQueueAndIsHealthy(context, "sentinel-bound", false, onMaster);
    }
  }
}
