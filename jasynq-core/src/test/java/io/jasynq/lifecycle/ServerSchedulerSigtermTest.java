package io.jasynq.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to a JVM that runs {@code scheduler.start()} then {@code server.run(handler)}: the
 * running handler is told to stop at once ({@code isCancelled()}), the JVM exits long before the
 * shutdown timeout, the task is requeued (not failed), and the scheduler's entries and the server's
 * state are gone from Redis when it has exited.
 */
@RedisTest
class ServerSchedulerSigtermTest {
  private final RedisServer redisServer;
  private final TestRedis redis;

  ServerSchedulerSigtermTest(RedisServer redisServer, TestRedis redis) {
    this.redisServer = redisServer;
    this.redis = redis;
  }

  @Test
  void sigtermStopsTheHandlerAndTheSchedulerPromptly() throws Exception {
    TaskInfo info;
    try (Client client = Client.connect(redisServer.uri())) {
      info = client.enqueue(Task.of("long:poll"));
    }
    Path stdout = Files.createTempFile("child", ".out");
    Path stderr = Files.createTempFile("child", ".err");
    Process p = child(stdout, stderr);
    try {
      // A JVM's start can take long on a busy machine.
      Eventually.until(
          Duration.ofSeconds(90),
          "handler started",
          () -> lines(stdout).contains("started " + info.id()));
      Eventually.until(
          "scheduler and server registered",
          () ->
              !redis.keys("asynq:schedulers:*").isEmpty()
                  && !redis.keys("asynq:servers:*").isEmpty());
      p.destroy(); // SIGTERM
      // Generous, but well short of the minute the shutdown timeout would take.
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exited before the shutdown timeout").isTrue();
    } finally {
      p.destroyForcibly();
    }
    // Right after exit: nothing of the scheduler or the server is left.
    assertThat(redis.keys("asynq:schedulers*")).isEmpty();
    assertThat(redis.keys("asynq:servers*")).isEmpty();
    assertThat(redis.keys("asynq:workers*")).isEmpty();
    assertThat(lines(stdout)).contains("saw isCancelled " + info.id());
    assertThat(p.exitValue()).isIn(0, 143);
    assertThat(Files.readAllLines(stderr)).isEmpty();
    // It stopped because it was told to: requeued as it was, not a failed attempt.
    assertThat(redis.lrange("asynq:{default}:pending")).containsExactly(info.id());
    assertThat(redis.hget("asynq:{default}:t:" + info.id(), "state")).isEqualTo("pending");
    assertThat(redis.keys("asynq:{default}:failed*")).isEmpty();
    assertThat(redis.keys("asynq:{default}:retry")).isEmpty();
    Files.deleteIfExists(stdout);
    Files.deleteIfExists(stderr);
  }

  /** Stdout goes to a file: {@code Process.destroy()} closes the parent's end of a pipe. */
  private Process child(Path stdout, Path stderr) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            ChildServerAndScheduler.class.getName(),
            redisServer.uri())
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile())
        .start();
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
