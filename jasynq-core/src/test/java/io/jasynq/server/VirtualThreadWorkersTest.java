package io.jasynq.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/** On Java 21+, workers can be virtual threads: a thread-factory choice, not a fork of the code. */
@RedisTest
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadWorkersTest {
  @Test
  void virtualThreadsServeWorkers(RedisServer redis) throws Exception {
    // Compiled for Java 17, so Thread.ofVirtual() is reached by reflection.
    Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
    Class<?> type = Class.forName("java.lang.Thread$Builder");
    builder =
        type.getMethod("name", String.class, long.class).invoke(builder, "jasynq-worker-v", 0L);
    ThreadFactory factory = (ThreadFactory) type.getMethod("factory").invoke(builder);

    try (Client client = Client.connect(redis.uri())) {
      client.enqueueBatch(IntStream.range(0, 200).mapToObj(i -> Task.of("t")).toList());
    }
    Set<Boolean> virtual = ConcurrentHashMap.newKeySet();
    Set<String> done = ConcurrentHashMap.newKeySet();
    try (Server server =
        Server.connect(
            redis.uri(),
            ServerConfig.builder()
                .concurrency(50)
                .threadFactory(factory)
                .taskCheckInterval(Duration.ofMillis(20))
                .build())) {
      server.start(
          ctx -> {
            virtual.add(
                (Boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread()));
            done.add(ctx.taskId());
          });
      Eventually.until("all processed", () -> done.size() == 200);
    }
    assertThat(virtual).containsExactly(true);
  }
}
