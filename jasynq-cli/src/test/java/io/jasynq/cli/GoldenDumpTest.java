package io.jasynq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jasynq} over what Go Asynq v0.24.1 wrote (the spec's golden dump): the numbers are the
 * ones {@code asynq stats} shows for that Redis, and Go's servers, schedulers and tasks are listed.
 */
@RedisTest
class GoldenDumpTest {
  @TempDir Path home;
  Cli cli;

  @BeforeEach
  void load(RedisServer server, TestRedis redis) {
    GoldenDump.load(redis);
    cli =
        Cli.redis(home, server.uri())
            .clock(java.time.Clock.fixed(GoldenDump.TAKEN, java.time.ZoneOffset.UTC));
  }

  @Test
  void statsShowsAsynqsNumbers() {
    Cli.Result r = cli.run("stats", "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    JsonNode all = r.json().get("aggregate");
    assertThat(all.get("active").asLong()).isEqualTo(1);
    assertThat(all.get("pending").asLong()).isEqualTo(24);
    assertThat(all.get("aggregating").asLong()).isEqualTo(1);
    assertThat(all.get("scheduled").asLong()).isEqualTo(1);
    assertThat(all.get("retry").asLong()).isEqualTo(1);
    assertThat(all.get("archived").asLong()).isEqualTo(1);
    assertThat(all.get("completed").asLong()).isEqualTo(1);
    assertThat(all.get("processed").asLong()).isEqualTo(3);
    assertThat(all.get("failed").asLong()).isEqualTo(2);
    JsonNode queues = r.json().get("queues");
    assertThat(queues).hasSize(2);
    assertThat(queues.get(0).get("queue").asText()).isEqualTo("cronq");
    assertThat(queues.get(1).get("size").asLong()).isEqualTo(7);

    r = cli.run("stats");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("Task Count by State")
        .containsPattern("pending +█{40} 24")
        .containsPattern("active +█{2} 1")
        .contains("Daily Stats 2026-11-22 UTC")
        .containsPattern("3 +2 +66.7%");
  }

  @Test
  void goServersSchedulersAndTasksAreListed() {
    Cli.Result r = cli.run("server", "ls");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .containsPattern("665f5675-a670-4507-9f5a-55bf0ef6436b +vm +4336 +active +1/1 +dump:1");
    JsonNode server = cli.run("server", "ls", "--json").json().get(0);
    assertThat(server.get("active_workers").get(0).get("task_id").asText())
        .isEqualTo(GoldenDump.ACTIVE);

    r = cli.run("cron", "ls");
    assertThat(r.out())
        .containsPattern(
            GoldenDump.CRON_ENTRY + " +@every 1s +dump:cron +tick +Queue\\(\"cronq\"\\)");
    r = cli.run("cron", "history", GoldenDump.CRON_ENTRY, "--size", "3", "--json");
    JsonNode events = r.json().get(GoldenDump.CRON_ENTRY);
    assertThat(events).hasSize(3);
    assertThat(events.get(0).get("task_id").asText())
        .isEqualTo("5ca999af-2cf7-4f19-b57b-e4918d954635"); // newest first

    r = cli.run("task", "ls", "-q", "dump", "-s", "active");
    assertThat(r.out()).contains(GoldenDump.ACTIVE).contains("dump:active");
    r = cli.run("task", "inspect", "-q", "dump", "-i", GoldenDump.ARCHIVED, "--json");
    assertThat(r.json().get("state").asText()).isEqualTo("archived");
    assertThat(r.json().get("payload").asText()).isEqualTo("{\"state\":\"archived\"}");
    r = cli.run("group", "ls", "-q", "dump");
    assertThat(r.out()).containsPattern("grp1 +1");
  }
}
