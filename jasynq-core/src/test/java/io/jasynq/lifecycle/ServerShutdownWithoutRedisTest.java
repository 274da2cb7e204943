package io.jasynq.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Level;
import io.jasynq.Client;
import io.jasynq.Server;
import io.jasynq.Task;
import io.jasynq.internal.server.ServerRuntime;
import io.jasynq.support.LogCapture;
import io.jasynq.support.ServerConfigs;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.Leaks;
import io.jasynq.testkit.RedisServer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * A server whose Redis died before it shuts down (Ctrl-C kills a child redis-server with the JVM's
 * process group) still shuts down promptly, says once what it could not clean up, and leaves no
 * thread behind.
 */
class ServerShutdownWithoutRedisTest {
  @Test
  void shutdownAfterRedisDiedGivesUpItsFinalWritesAndSaysSoOnce() {
    Set<Thread> threadsBefore = Leaks.jasynqThreads();
    CountDownLatch running = new CountDownLatch(1);
    try (RedisServer redis = RedisServer.start();
        LogCapture logs = LogCapture.start()) {
      try (Client client = Client.connect(redis.uri())) {
        client.enqueue(Task.of("slow"));
      }
      Server server =
          Server.connect(
              redis.uri(), ServerConfigs.fast().shutdownTimeout(Duration.ofMillis(100)).build());
      server.start(
          ctx -> {
            running.countDown();
            new CountDownLatch(1).await(); // until interrupted by the shutdown
          });
      Eventually.until("the task runs", () -> running.getCount() == 0);
      redis.kill();

      // A hang guard only: before the final writes were bounded, this close took 26 s here.
      assertTimeoutPreemptively(Duration.ofSeconds(30), server::close);

      // Lettuce's own reconnect attempts warn too until the connection is closed: not ours.
      assertThat(logs.warningsAndErrorsExcept(e -> !e.getLoggerName().startsWith("io.jasynq")))
          .isEmpty();
      assertThat(logs.messages(ServerRuntime.class, Level.INFO))
          .filteredOn(m -> m.contains("without cleaning up"))
          .singleElement()
          .asString()
          .contains("Redis is unreachable")
          .contains("1 task(s) left active")
          .contains("server state expires");
    }
    Leaks.awaitNoNewJasynqThreads(threadsBefore, Duration.ofSeconds(10));
  }
}
