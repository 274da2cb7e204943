package io.jasynq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Timestamp;
import io.jasynq.Client;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.TaskOption;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small output fixes of issue 11, against a real Redis. */
@RedisTest
class CliSmallFixesTest {
  @TempDir Path home;

  @Test
  void groupLsOnAMissingQueueSaysItDoesNotExist(RedisServer server) {
    Cli.Result r = Cli.redis(home, server.uri()).run("group", "ls", "-q", "nope");
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("jasynq: queue \"nope\" does not exist\n");
  }

  @Test
  void queueInspectSaysOneTask(RedisServer server) {
    try (Client client = Client.connect(server.uri())) {
      client.enqueue(Task.of("only"));
    }
    Cli.Result r = Cli.redis(home, server.uri()).run("queue", "inspect", "default");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("Size:       1 task\n").doesNotContain("1 tasks");
  }

  @Test
  void cronHistoryPrintsWholeSeconds(RedisServer server, TestRedis redis) {
    Instant at = Instant.parse("2026-12-01T10:00:00.123456789Z");
    byte[] event =
        io.jasynq.internal.broker.proto.SchedulerEnqueueEvent.newBuilder()
            .setTaskId("t1")
            .setEnqueueTime(
                Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()))
            .build()
            .toByteArray();
    redis.commands().zadd("asynq:scheduler_history:e1", at.getEpochSecond(), event);
    Cli.Result r = Cli.redis(home, server.uri()).run("cron", "history", "e1");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("2026-12-01T10:00:00Z").doesNotContain(".123456789");
  }

  @Test
  void taskInspectJsonReportsZeroTimeoutForADeadlineOnlyTask(RedisServer server) {
    TaskInfo info;
    try (Client client = Client.connect(server.uri())) {
      info =
          client.enqueue(
              Task.of("deadline-only"),
              TaskOption.deadline(Instant.now().plus(Duration.ofHours(1))));
    }
    JsonNode t =
        Cli.redis(home, server.uri())
            .run("task", "inspect", "-q", "default", "-i", info.id(), "--json")
            .json();
    assertThat(t.get("timeout_seconds").isNumber()).as(t.toString()).isTrue();
    assertThat(t.get("timeout_seconds").asLong()).isZero();
    assertThat(t.get("deadline").isNull()).isFalse();
  }
}
