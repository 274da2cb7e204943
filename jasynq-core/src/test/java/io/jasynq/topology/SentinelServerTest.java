package io.jasynq.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.JasynqException;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.RedisSentinel;
import io.jasynq.testkit.RedisSentinelTest;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Client and Server reach the master through Sentinel and follow a failover without a restart. */
@RedisSentinelTest
class SentinelServerTest {
  @Test
  void processesThroughSentinelBeforeAndAfterAFailover(RedisSentinel sentinel) {
    Set<String> ran = ConcurrentHashMap.newKeySet();
    try (Client client = Client.connect(sentinel.uri());
        Server server =
            Server.connect(
                sentinel.uri(),
                ServerConfig.builder().taskCheckInterval(Duration.ofMillis(50)).build())) {
      server.start(ctx -> ran.add(new String(ctx.task().payload())));
      for (int i = 0; i < 20; i++) {
        client.enqueue(Task.of("t", "before-" + i));
      }
      Eventually.until("processed before the failover", () -> ran.size() == 20);

      sentinel.failover();

      // After the failover, enqueue until the client's writes land on the new master and the
      // server processes them there (no restart of either).
      int[] n = {0};
      Eventually.until(
          Duration.ofSeconds(60),
          "processing resumes on the new master",
          () -> {
            try {
              client.enqueue(Task.of("t", "after-" + n[0]++));
            } catch (JasynqException transientDuringFailover) {
              return false;
            }
            return ran.stream().anyMatch(p -> p.startsWith("after-"));
          });
    }
    assertThat(ran).hasSizeGreaterThan(20);
  }
}
