package io.jasynq.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.RetryDelay;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A server in another JVM, killed with SIGKILL or stopped with SIGTERM: no task is lost. */
@RedisTest
class ServerProcessTest {
  private final RedisServer redisServer;
  private final TestRedis redis;

  ServerProcessTest(RedisServer redisServer, TestRedis redis) {
    this.redisServer = redisServer;
    this.redis = redis;
  }

  private Process child(Path stderr) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            ChildServer.class.getName(),
            redisServer.uri())
        .redirectError(stderr.toFile())
        .start();
  }

  private static String awaitStarted(Process p) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("started ")) {
        Thread drain =
            new Thread(
                () -> {
                  try {
                    while (out.readLine() != null) {
                      /* keep the pipe flowing */
                    }
                  } catch (IOException ignored) {
                    // the child is gone
                  }
                },
                "drain");
        drain.setDaemon(true);
        drain.start();
        return line.substring("started ".length());
      }
    }
    throw new AssertionError("child exited before starting a task");
  }

  @Test
  void taskOfAWorkerKilledWithSigkillIsRecoveredAndRunsAgain() throws Exception {
    TaskInfo info;
    try (Client client = Client.connect(redisServer.uri())) {
      info = client.enqueue(Task.of("t", "survives kill -9"));
    }
    Path stderr = Files.createTempFile("child", ".err");
    Process p = child(stderr);
    try {
      assertThat(awaitStarted(p)).isEqualTo(info.id());
      p.destroyForcibly(); // SIGKILL: no shutdown hook, no requeue
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
    assertThat(redis.lrange("asynq:{default}:active")).containsExactly(info.id());

    // Another server, its clock past the dead worker's lease and the recoverer's skew.
    FakeClock clock = FakeClock.at(Instant.now().plus(Duration.ofSeconds(70)));
    List<String> ran = new CopyOnWriteArrayList<>();
    try (Server survivor =
        Server.connect(
            redisServer.uri(),
            ServerConfig.builder()
                .clock(clock)
                .taskCheckInterval(Duration.ofMillis(20))
                .delayedTaskCheckInterval(Duration.ofMillis(50))
                .recovererInterval(Duration.ofMillis(100))
                .retryDelay(RetryDelay.constant(Duration.ZERO))
                .build())) {
      survivor.start(ctx -> ran.add(ctx.taskId() + " retried=" + ctx.retryCount()));
      Eventually.until("recovered and run", () -> !ran.isEmpty());
      Eventually.until("done", () -> redis.keys("asynq:{default}:t:*").isEmpty());
    }
    assertThat(ran).containsExactly(info.id() + " retried=1");
    Files.deleteIfExists(stderr);
  }

  @Test
  void sigtermShutsDownGracefullyRequeuingTheRunningTask() throws Exception {
    TaskInfo info;
    try (Client client = Client.connect(redisServer.uri())) {
      info = client.enqueue(Task.of("t"));
    }
    Path stderr = Files.createTempFile("child", ".err");
    Process p = child(stderr);
    try {
      assertThat(awaitStarted(p)).isEqualTo(info.id());
      Eventually.until("server registered", () -> !redis.keys("asynq:servers:*").isEmpty());
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
    assertThat(p.exitValue()).isIn(0, 143); // 143 = 128 + SIGTERM, the JVM's exit after its hooks
    assertThat(Files.readAllLines(stderr)).isEmpty(); // nothing, on JDK 17 and 25 alike
    assertThat(redis.lrange("asynq:{default}:pending")).containsExactly(info.id());
    assertThat(redis.hget("asynq:{default}:t:" + info.id(), "state")).isEqualTo("pending");
    assertThat(redis.keys("asynq:{default}:active")).isEmpty();
    assertThat(redis.keys("asynq:servers:*")).isEmpty();
    Files.deleteIfExists(stderr);
    assertThat(new File(stderr.toString())).doesNotExist();
  }
}
