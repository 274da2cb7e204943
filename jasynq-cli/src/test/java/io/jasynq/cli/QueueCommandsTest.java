package io.jasynq.cli;

import static io.jasynq.TaskOption.queue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jasynq.Client;
import io.jasynq.Task;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jasynq queue ...} against a real Redis seeded by a jasynq Client. */
@RedisTest
class QueueCommandsTest {
  @TempDir Path home;

  private static void seed(RedisServer server, int defaults, int critical) {
    try (Client client = Client.connect(server.uri())) {
      for (int i = 0; i < defaults; i++) {
        client.enqueue(Task.of("email:send", "{\"n\":" + i + "}"));
      }
      for (int i = 0; i < critical; i++) {
        client.enqueue(Task.of("pay:charge", "{\"n\":" + i + "}"), queue("critical"));
      }
    }
  }

  @Test
  void lsShowsEveryQueueWithItsSizeAndState(RedisServer server) {
    Cli cli = Cli.redis(home, server.uri());
    Cli.Result r = cli.run("queue", "ls");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("No queues.\n");

    seed(server, 3, 1);
    r = cli.run("queue", "ls");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.lines())
        .hasSize(4)
        .satisfies(l -> assertThat(l.get(0)).matches("queue +state +size +pending +latency"))
        .satisfies(l -> assertThat(l.get(2)).matches("critical +run +1 +1 +\\S+"))
        .satisfies(l -> assertThat(l.get(3)).matches("default +run +3 +3 +\\S+"));

    JsonNode json = cli.run("queue", "list", "--json").json();
    assertThat(json).hasSize(2);
    assertThat(json.get(1).get("queue").asText()).isEqualTo("default");
    assertThat(json.get(1).get("pending").asLong()).isEqualTo(3);
    assertThat(json.get(1).get("paused").asBoolean()).isFalse();
  }

  @Test
  void inspectShowsSizesAndCountersAndReportsUnknownQueues(RedisServer server) {
    seed(server, 2, 1);
    Cli cli = Cli.redis(home, server.uri());
    Cli.Result r = cli.run("queue", "inspect", "default");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("Queue:      default")
        .contains("Size:       2 tasks")
        .containsPattern("active +pending +aggregating +scheduled +retry +archived +completed")
        .containsPattern("\n +0 +2 +0 +0 +0 +0 +0\n")
        .containsPattern("today +0 +0 +-");

    r = cli.run("queue", "inspect", "nope");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("jasynq: queue \"nope\" does not exist\n");

    // Several queues: the good ones print, the bad one is one line on stderr, exit 1.
    r = cli.run("queue", "inspect", "default", "nope", "critical", "--json");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines()).containsExactly("jasynq: queue \"nope\" does not exist");
    assertThat(r.json()).hasSize(2);
    assertThat(r.json().get(1).get("queue").asText()).isEqualTo("critical");
    assertThat(r.json().get(1).get("size").asLong()).isEqualTo(1);
  }

  @Test
  void historyListsDaysNewestFirst(RedisServer server, TestRedis redis) {
    seed(server, 1, 0);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    redis.commands().set("asynq:{default}:processed:" + today, "7".getBytes());
    redis.commands().set("asynq:{default}:failed:" + today, "2".getBytes());
    Cli cli = Cli.redis(home, server.uri());
    Cli.Result r = cli.run("queue", "history", "default", "-x", "3");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.lines()).hasSize(6);
    assertThat(r.lines().get(0)).isEqualTo("Queue: default");
    assertThat(r.lines().get(3)).matches(today + " +7 +2 +28.6%");
    assertThat(r.lines().get(4)).matches(today.minusDays(1) + " +0 +0 +-");

    JsonNode days = cli.run("queue", "history", "default", "--days", "2", "--json").json();
    assertThat(days.get("default")).hasSize(2);
    assertThat(days.get("default").get(0).get("processed").asLong()).isEqualTo(7);

    r = cli.run("queue", "history", "default", "-x", "0");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "jasynq: --days must be 1 or more, was \"0\" (see 'jasynq queue history --help')\n");
  }

  @Test
  void pauseAndUnpauseReportTheirState(RedisServer server, TestRedis redis) {
    seed(server, 1, 1);
    Cli cli = Cli.redis(home, server.uri());
    Cli.Result r = cli.run("queue", "pause", "default", "critical");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.lines()).containsExactly("Paused queue \"default\"", "Paused queue \"critical\"");
    assertThat(redis.get("asynq:{default}:paused")).isNotNull();
    assertThat(cli.run("queue", "ls").out()).containsPattern("default +paused");
    assertThat(cli.run("queue", "ls", "--json").json().get(1).get("paused").asBoolean()).isTrue();

    r = cli.run("queue", "pause", "default");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines()).singleElement().asString().contains("already paused");

    r = cli.run("queue", "resume", "default");
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("Unpaused queue \"default\"\n");
    r = cli.run("queue", "unpause", "default");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines()).singleElement().asString().contains("not paused");
  }

  @Test
  void limitShowsSetsAndClearsTheFleetWideLimits(RedisServer server, TestRedis redis) {
    Cli cli = Cli.redis(home, server.uri());
    Cli.Result r = cli.run("queue", "limit", "default");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("Queue \"default\": no concurrency limit; no rate limit\n");

    r = cli.run("queue", "limit", "default", "critical", "--concurrency", "5");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.lines())
        .containsExactly(
            "Queue \"default\": at most 5 active at once; no rate limit",
            "Queue \"critical\": at most 5 active at once; no rate limit");
    assertThat(redis.hget("asynq:{critical}:limits", "concurrency")).isEqualTo("5");

    r = cli.run("queue", "limit", "critical", "--rate", "50/s", "--burst", "10");
    assertThat(r.out())
        .isEqualTo(
            "Queue \"critical\": at most 5 active at once;"
                + " at most 50 started per s (burst 10)\n");
    assertThat(redis.hget("asynq:{critical}:limits", "per_ms")).isEqualTo("1000");
    r = cli.run("queue", "limit", "critical", "--rate", "600/m", "--concurrency", "none");
    assertThat(r.out())
        .isEqualTo(
            "Queue \"critical\": no concurrency limit; at most 600 started per m (burst 600)\n");

    r = cli.run("queue", "limit", "critical", "--clear");
    assertThat(r.out()).isEqualTo("Queue \"critical\": no concurrency limit; no rate limit\n");
    assertThat(redis.hgetAll("asynq:{critical}:limits")).isEmpty();

    for (String[] bad :
        new String[][] {
          {"--concurrency", "0"},
          {"--rate", "5/d"},
          {"--rate", "0/s"},
          {"--burst", "3"},
          {"--concurrency", "3", "--clear"}
        }) {
      java.util.List<String> args =
          new java.util.ArrayList<>(java.util.List.of("queue", "limit", "default"));
      args.addAll(java.util.List.of(bad));
      r = cli.run(args.toArray(String[]::new));
      assertThat(r.code()).as(String.join(" ", bad) + ": " + r).isEqualTo(2);
    }
    assertThat(cli.run("queue", "limit", "default", "--rate", "5/d").err())
        .contains("--rate must be N/s, N/m or N/h with N 1 or more, or none, was \"5/d\"");
    assertThat(redis.hget("asynq:{default}:limits", "concurrency")).isEqualTo("5");

    redis.commands().hset("asynq:{default}:limits", "concurrency", "lots".getBytes());
    r = cli.run("queue", "limit", "default");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("Queue \"default\": no concurrency limit; no rate limit\n");
  }

  @Test
  void removeRefusesANonEmptyQueueUnlessForced(RedisServer server, TestRedis redis) {
    seed(server, 2, 0);
    Cli cli = Cli.redis(home, server.uri());
    Cli.Result r = cli.run("queue", "rm", "default");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "jasynq: queue \"default\" is not empty; use --force to remove it with its tasks\n");
    assertThat(redis.smembers("asynq:queues")).contains("default");

    r = cli.run("queue", "remove", "default", "--force");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("Removed queue \"default\"\n");
    assertThat(redis.smembers("asynq:queues")).doesNotContain("default");
    assertThat(redis.keys("asynq:{default}:*")).isEmpty();

    r = cli.run("queue", "delete", "default");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("jasynq: queue \"default\" does not exist\n");
  }
}
