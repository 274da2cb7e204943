package io.jasynq.cli;

import static io.jasynq.TaskOption.group;
import static io.jasynq.TaskOption.processIn;
import static io.jasynq.TaskOption.taskId;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jasynq.Client;
import io.jasynq.Task;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jasynq task ...} and {@code group ls} against a real Redis seeded by a jasynq Client. */
@RedisTest
class TaskCommandsTest {
  @TempDir Path home;

  @Test
  void enqueueWritesTheTaskWithEveryOption(RedisServer server, TestRedis redis) {
    Cli cli = Cli.redis(home, server.uri());
    Cli.Result r =
        cli.run(
            "task",
            "enqueue",
            "-t",
            "email:welcome",
            "-l",
            "{\"user\":42}",
            "-q",
            "critical",
            "--retry",
            "3",
            "--timeout",
            "2m",
            "-H",
            "trace=abc",
            "--id",
            "welcome-42");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "Enqueued task welcome-42 (type \"email:welcome\") to queue \"critical\": pending\n");
    assertThat(redis.lrange("asynq:{critical}:pending")).containsExactly("welcome-42");

    r = cli.run("task", "enqueue", "--type_name", "report", "--process_in", "5m", "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.json().get("state").asText()).isEqualTo("scheduled");
    assertThat(r.json().get("queue").asText()).isEqualTo("default");

    JsonNode t = cli.run("task", "inspect", "-q", "critical", "-i", "welcome-42", "--json").json();
    assertThat(t.get("payload").asText()).isEqualTo("{\"user\":42}");
    assertThat(t.get("max_retry").asInt()).isEqualTo(3);
    assertThat(t.get("timeout_seconds").asLong()).isEqualTo(120);
    assertThat(t.get("headers").get("trace").asText()).isEqualTo("abc");

    r = cli.run("task", "enqueue", "-t", "x", "--id", "welcome-42", "-q", "critical");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines()).singleElement().asString().startsWith("jasynq: task ID conflicts");
    r = cli.run("task", "enqueue", "-t", "a", "--unique", "1h", "--unique_key", "order-9");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(redis.get("asynq:{default}:unique:key:order-9")).isNotNull();
    r = cli.run("task", "enqueue", "-t", "b", "--unique", "1h", "--unique_key", "order-9");
    assertThat(r.code()).isEqualTo(1);
    r = cli.run("task", "enqueue", "-t", "b", "--unique_key", "order-9");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--unique_key needs --unique DURATION");

    String first =
        cli.run(
                "task",
                "enqueue",
                "-t",
                "d",
                "-l",
                "1",
                "-q",
                "deb",
                "--debounce",
                "u,10s,1m",
                "--json")
            .json()
            .get("id")
            .asText();
    JsonNode second =
        cli.run(
                "task",
                "enqueue",
                "-t",
                "d",
                "-l",
                "2",
                "-q",
                "deb",
                "--debounce",
                "u,10s,1m",
                "--json")
            .json();
    assertThat(second.get("state").asText()).isEqualTo("scheduled");
    assertThat(redis.zrangeWithScores("asynq:{deb}:scheduled"))
        .containsOnlyKeys(second.get("id").asText());
    assertThat(redis.keys("asynq:{deb}:t:" + first)).isEmpty();
    r = cli.run("task", "enqueue", "-t", "d", "--debounce", "u,10s");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("--debounce must be KEY,DELAY,MAXWAIT like user-7,10s,1m, was \"u,10s\"");

    r = cli.run("task", "enqueue", "-t", "x", "--unique", "soon");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "jasynq: --unique must be a duration like 30s, 5m or 1h30m, was \"soon\""
                + " (see 'jasynq task enqueue --help')\n");
  }

  @Test
  void lsPagesThroughPendingTasksOldestFirst(RedisServer server) {
    List<String> ids = new ArrayList<>();
    try (Client client = Client.connect(server.uri())) {
      for (int i = 0; i < 5; i++) {
        ids.add(client.enqueue(Task.of("email:send", "{\"n\":" + i + "}")).id());
      }
    }
    Cli cli = Cli.redis(home, server.uri());
    Cli.Result r = cli.run("task", "ls", "-q", "default", "-s", "pending");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.lines()).hasSize(7);
    assertThat(r.lines().get(0)).matches("id +type +payload");
    assertThat(r.lines().get(2)).matches(ids.get(0) + " +email:send +\\{\"n\":0\\}");

    r = cli.run("task", "ls", "-q", "default", "-s", "pending", "--size", "2", "--page", "2");
    assertThat(r.lines()).hasSize(5);
    assertThat(r.lines().get(2)).startsWith(ids.get(2));
    assertThat(r.lines().get(3)).startsWith(ids.get(3));
    assertThat(r.lines().get(4)).isEqualTo("Page 2 (2 per page). Next: --page 3");

    JsonNode all =
        cli.run("task", "ls", "-q", "default", "-s", "pending", "--size", "0", "--json").json();
    List<String> listed = new ArrayList<>();
    all.forEach(n -> listed.add(n.get("id").asText()));
    assertThat(listed).isEqualTo(ids);

    r = cli.run("task", "ls", "-q", "default", "-s", "retry");
    assertThat(r.out()).isEqualTo("No retry tasks in queue \"default\".\n");
    r = cli.run("task", "ls", "-q", "nope", "-s", "pending");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("jasynq: queue \"nope\" does not exist\n");
  }

  @Test
  void runArchiveDeleteOneTaskAndTheirErrors(RedisServer server, TestRedis redis) {
    try (Client client = Client.connect(server.uri())) {
      client.enqueue(Task.of("later"), taskId("s1"), processIn(Duration.ofMinutes(5)));
      client.enqueue(Task.of("now"), taskId("p1"));
    }
    Cli cli = Cli.redis(home, server.uri());
    Cli.Result r = cli.run("task", "ls", "-q", "default", "-s", "scheduled");
    assertThat(r.out()).containsPattern("s1 +later +- +in 5 minutes");
    assertThat(cli.run("task", "inspect", "-q", "default", "-i", "s1").out())
        .containsPattern("State: +scheduled")
        .containsPattern("Next process: +in 5 minutes \\(20");

    r = cli.run("task", "update", "-q", "default", "-i", "s1", "-l", "{\"v\":2}");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("Updated the payload of task s1 in queue \"default\"\n");
    assertThat(
            cli.run("task", "inspect", "-q", "default", "-i", "s1", "--json")
                .json()
                .get("payload")
                .asText())
        .isEqualTo("{\"v\":2}");
    r = cli.run("task", "update", "-q", "default", "-i", "p1", "-l", "x");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines()).singleElement().asString().contains("not in scheduled state");

    r = cli.run("task", "run", "-q", "default", "-i", "s1");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("Task s1 in queue \"default\" is pending now\n");
    r = cli.run("task", "run", "-q", "default", "-i", "s1");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines()).singleElement().asString().contains("pending");

    r = cli.run("task", "archive", "-q", "default", "-i", "p1");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("Archived task p1 in queue \"default\"\n");
    assertThat(cli.run("task", "ls", "-q", "default", "-s", "archived").out())
        .containsPattern("p1 +now +- +- +-\n"); // archived by hand: never failed

    r = cli.run("task", "rm", "-q", "default", "-i", "p1");
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("Deleted task p1 from queue \"default\"\n");
    assertThat(redis.keys("asynq:{default}:t:p1")).isEmpty();

    r = cli.run("task", "inspect", "-q", "default", "-i", "p1");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("jasynq: cannot find task with id=p1 in queue \"default\"\n");
    r = cli.run("task", "delete", "-q", "default", "-i", "p1");
    assertThat(r.code()).isEqualTo(1);
  }

  @Test
  void bulkCommandsCountWhatTheyMoved(RedisServer server) {
    try (Client client = Client.connect(server.uri())) {
      for (int i = 0; i < 3; i++) {
        client.enqueue(Task.of("now", "" + i));
        client.enqueue(Task.of("later", "" + i), processIn(Duration.ofHours(1)));
      }
    }
    Cli cli = Cli.redis(home, server.uri());
    Cli.Result r = cli.run("task", "archiveall", "-q", "default", "-s", "pending");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("Archived 3 pending tasks in queue \"default\"\n");
    r = cli.run("task", "runall", "-q", "default", "-s", "archived");
    assertThat(r.out()).isEqualTo("Ran 3 archived tasks in queue \"default\" (now pending)\n");
    r = cli.run("task", "deleteall", "-q", "default", "-s", "scheduled");
    assertThat(r.out()).isEqualTo("Deleted 3 scheduled tasks in queue \"default\"\n");
    assertThat(cli.run("queue", "inspect", "default", "--json").json().get(0).get("size").asLong())
        .isEqualTo(3);
    r = cli.run("task", "deleteall", "-q", "nope", "-s", "pending");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines()).hasSize(1);
  }

  @Test
  void groupsAndAggregatingTasks(RedisServer server) {
    try (Client client = Client.connect(server.uri())) {
      client.enqueue(Task.of("digest", "a"), group("user-1"));
      client.enqueue(Task.of("digest", "b"), group("user-1"));
      client.enqueue(Task.of("digest", "c"), group("user-2"));
    }
    Cli cli = Cli.redis(home, server.uri());
    Cli.Result r = cli.run("group", "ls", "-q", "default");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.lines()).hasSize(4);
    assertThat(r.lines().get(2)).matches("user-1 +2");
    assertThat(r.lines().get(3)).matches("user-2 +1");
    JsonNode json = cli.run("group", "ls", "-q", "default", "--json").json();
    assertThat(json.get(0).get("group").asText()).isEqualTo("user-1");
    assertThat(json.get(0).get("size").asLong()).isEqualTo(2);

    r = cli.run("task", "ls", "-q", "default", "-s", "aggregating", "-g", "user-1");
    assertThat(r.lines()).hasSize(4);
    assertThat(r.out()).containsPattern("digest +a +user-1");
    r = cli.run("task", "runall", "-q", "default", "-s", "aggregating", "-g", "user-1");
    assertThat(r.out())
        .isEqualTo(
            "Ran 2 aggregating tasks in queue \"default\", group \"user-1\" (now pending)\n");
    assertThat(cli.run("group", "ls", "-q", "default").out()).doesNotContain("user-1");
    try (Client client = Client.connect(server.uri())) {
      client.enqueue(Task.of("plain"), io.jasynq.TaskOption.queue("plain"));
    }
    assertThat(cli.run("group", "ls", "-q", "plain").out())
        .isEqualTo("No groups in queue \"plain\".\n");
  }

  @Test
  void aGroupedTaskScheduledForLaterIsListedOnceAGoForwarderMovedItIn(
      RedisServer server, TestRedis redis) {
    String id;
    try (Client client = Client.connect(server.uri())) {
      id =
          client.enqueue(Task.of("digest", "a"), group("g"), processIn(Duration.ofMinutes(1))).id();
    }
    Cli cli = Cli.redis(home, server.uri());
    assertThat(cli.run("group", "ls", "-q", "default").lines().get(2))
        .as("registered, empty until due")
        .matches("g +0");
    // Go's forwarder when the task is due (wire-format §3.15): no SADD to the group registry.
    byte[] member = id.getBytes(UTF_8);
    redis.commands().zadd("asynq:{default}:g:g", 1.0, member);
    redis.commands().zrem("asynq:{default}:scheduled", member);
    redis.commands().hset("asynq:{default}:t:" + id, "state", "aggregating".getBytes(UTF_8));

    assertThat(cli.run("group", "ls", "-q", "default").lines().get(2)).matches("g +1");
  }
}
