package io.jasynq.server;

import static io.jasynq.TaskOption.queue;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.support.LogCapture;
import io.jasynq.support.ServerConfigs;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The health listener hears of an outage that any command or the connection sees, not only the
 * periodic PING, and only of outages: refused commands do not count.
 */
@RedisTest
class ServerHealthTest {
  private final RedisServer redisServer;
  private final TestRedis redis;

  ServerHealthTest(RedisServer redisServer, TestRedis redis) {
    this.redisServer = redisServer;
    this.redis = redis;
  }

  @Test
  void aThreeSecondOutageBetweenTwoPingsIsReportedAsDownThenUp() throws Exception {
    List<Boolean> health = new CopyOnWriteArrayList<>();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    AtomicInteger ran = new AtomicInteger();
    AtomicInteger ranAfter = new AtomicInteger();
    try (RedisServer own = RedisServer.start();
        Client client = Client.connect(own.uri());
        Server server =
            Server.connect(
                own.uri(),
                ServerConfigs.fast()
                    .healthCheckInterval(ServerConfig.DEFAULT_HEALTH_CHECK_INTERVAL) // 15 s
                    .healthListener(
                        (up, error) -> {
                          health.add(up);
                          if (error != null) {
                            errors.add(error);
                          }
                        })
                    .build())) {
      client.enqueueBatch(IntStream.range(0, 100).mapToObj(i -> Task.of("t")).toList());
      server.start(
          ctx -> {
            ran.incrementAndGet();
            if (ctx.task().type().equals("after")) {
              ranAfter.incrementAndGet();
            }
            Thread.sleep(5);
          });
      Eventually.until("busy and healthy", () -> ran.get() > 10 && health.equals(List.of(true)));

      own.stop();
      Thread.sleep(3000); // the outage, well inside one health-check interval
      own.restart();

      Eventually.until("down, then up again", () -> health.size() >= 3);
      assertThat(health).containsExactly(true, false, true);
      assertThat(errors).hasSize(1);
      // Counted by type: the task may well run before enqueue() has returned here.
      client.enqueue(Task.of("after"), queue("default"));
      Eventually.until("processing again", () -> ranAfter.get() == 1);
    }
  }

  @Test
  void refusedCommandsDoNotMakeRedisUnhealthy() throws Exception {
    List<Boolean> health = new CopyOnWriteArrayList<>();
    // A user that may do everything but LMOVE: every dequeue is refused with NOPERM.
    redis.aclSetUser("nolmove", List.of("reset", "on", ">pw", "~*", "&*", "+@all", "-lmove"));
    try (Client client = Client.connect(redisServer.uri())) {
      client.enqueue(Task.of("t"));
    }
    try (LogCapture logs = LogCapture.start();
        Server server =
            Server.connect(
                redisServer.uri().replace("redis://", "redis://nolmove:pw@"),
                ServerConfigs.fast()
                    .healthCheckInterval(Duration.ofMillis(100))
                    .healthListener((up, error) -> health.add(up))
                    .build())) {
      server.start(ctx -> {});
      Eventually.until(
          "dequeue refused (NOPERM) twice",
          () ->
              logs.warningsAndErrors().stream()
                  .anyMatch(l -> l.contains("dequeue failed twice") && l.contains("LMOVE")));
      Thread.sleep(300); // a few more health PINGs and refused dequeues
      assertThat(health).containsExactly(true);
    } finally {
      redis.aclDelUser("nolmove");
    }
  }
}
