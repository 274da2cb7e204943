package io.jasynq.cli;

import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.taskId;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Timestamp;
import io.jasynq.Client;
import io.jasynq.Task;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every read command with hostile records seeded next to good ones: the good rows and counts are
 * shown, the bad ones marked (a problem column, or a Problems section) with warnings on stderr, and
 * the command exits 0.
 */
@RedisTest
class CliBadRecordsTest {
  private static final String B = "asynq:{broken}:";
  private static final String D = "asynq:{default}:";

  @TempDir Path home;

  private final RedisServer server;
  private final TestRedis redis;
  private Cli cli;

  CliBadRecordsTest(RedisServer server, TestRedis redis) {
    this.server = server;
    this.redis = redis;
  }

  @BeforeEach
  void cli() {
    cli = Cli.redis(home, server.uri());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  /** Queue "default" with two good pending tasks; queue "broken" whose keys are all wrong-typed. */
  private void seedGoodAndBrokenQueues() {
    try (Client client = Client.connect(server.uri())) {
      client.enqueue(Task.of("email:send", "{\"n\":1}"), taskId("p1"));
      client.enqueue(Task.of("email:send", "{\"n\":2}"), taskId("p2"));
      client.enqueue(Task.of("x"), queue("broken"));
    }
    var c = redis.commands();
    c.del(B + "pending");
    c.set(B + "pending", bytes("oops"));
    c.hset(B + "archived", "f", bytes("v"));
    c.set(B + "processed:" + today(), bytes("abc"));
  }

  private static String today() {
    return LocalDate.now(ZoneOffset.UTC).toString();
  }

  @Test
  void statsShowsEveryQueueEvenWhenOneQueuesKeysAreBroken() {
    seedGoodAndBrokenQueues();

    Cli.Result r = cli.run("stats");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).containsPattern("(?m)^pending +█+ 2$");
    assertThat(r.out())
        .containsPattern(
            "(?m)^broken +0 +0 +0 +0s +no +\\S+ B +"
                + "\\Q"
                + B
                + "pending is a string, not a list (+2 more)\\E$");
    assertThat(r.out()).containsPattern("(?m)^default +2 +█+ +2 +0 .* -$");
    assertThat(r.err().lines())
        .containsExactly(
            "jasynq: warning: queue \"broken\": " + B + "pending is a string, not a list",
            "jasynq: warning: queue \"broken\": " + B + "archived is a hash, not a zset",
            "jasynq: warning: queue \"broken\": "
                + B
                + "processed:"
                + today()
                + " holds \"abc\", not a number");

    redis
        .commands()
        .eval(
            "return redis.call('SADD', KEYS[1], ARGV[1])",
            io.lettuce.core.ScriptOutputType.INTEGER,
            new String[] {"asynq:queues"},
            new byte[] {'q', (byte) 0xff});
    r = cli.run("stats");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.err())
        .contains(
            "jasynq: warning: queue \"q\\xff\" is listed in asynq:queues but cannot be read"
                + " (removed meanwhile, or its name is not UTF-8)");

    r = cli.run("stats", "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    JsonNode queues = r.json().get("queues");
    assertThat(queues).hasSize(2);
    assertThat(queues.get(0).get("problems")).hasSize(3);
    assertThat(queues.get(1).get("pending").asLong()).isEqualTo(2);
    assertThat(queues.get(1).get("problems")).isEmpty();
  }

  @Test
  void queueLsAndInspectShowBadKeysAsProblems() {
    seedGoodAndBrokenQueues();

    Cli.Result r = cli.run("queue", "ls");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.lines()).hasSize(4);
    assertThat(r.lines().get(0)).matches("queue +state +size +pending +latency +problem");
    assertThat(r.lines().get(3)).matches("default +run +2 +2 +\\S+ +-");
    assertThat(r.err().lines()).hasSize(3);

    r = cli.run("queue", "inspect", "broken", "default");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains(
            "Problems (bad keys count 0 above)\n- " + B + "pending is a string, not a list\n- ");
    assertThat(r.out()).contains("Queue:      default");
  }

  @Test
  void queueHistoryShowsABadCounterAsZeroWithItsProblem() {
    seedGoodAndBrokenQueues();

    Cli.Result r = cli.run("queue", "history", "broken", "-x", "2");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .containsPattern(
            "(?m)^"
                + today()
                + " +0 +0 +- +\\Q"
                + B
                + "processed:"
                + today()
                + " holds \"abc\", not a number\\E$");
    assertThat(r.err()).contains("jasynq: warning: queue \"broken\" " + today() + ": ");
    JsonNode days = cli.run("queue", "history", "broken", "-x", "2", "--json").json().get("broken");
    assertThat(days.get(0).get("problems")).hasSize(1);
    assertThat(days.get(1).get("problems")).isEmpty();
  }

  @Test
  void taskLsListsBadRowsInPlaceWithAProblemColumn() {
    try (Client client = Client.connect(server.uri())) {
      client.enqueue(Task.of("email:send", "{\"n\":1}"), taskId("p1"));
    }
    var c = redis.commands();
    c.lpush(D + "pending", bytes("str"));
    c.set(D + "t:str", bytes("x"));
    c.lpush(D + "pending", bytes("gone"));
    c.lpush(D + "pending", new byte[] {'n', (byte) 0xff});
    try (Client client = Client.connect(server.uri())) {
      client.enqueue(Task.of("email:send", "{\"n\":2}"), taskId("p2"));
    }

    Cli.Result r = cli.run("task", "ls", "-q", "default", "-s", "pending");

    assertThat(r.code()).as(r.toString()).isZero();
    List<String> lines = r.lines();
    assertThat(lines.get(0)).matches("id +type +payload +problem");
    assertThat(lines.get(2)).matches("p1 +email:send +\\{\"n\":1} +-");
    assertThat(lines.get(3)).matches("str +- +- +\\Q" + D + "t:str is a string, not a hash\\E");
    assertThat(lines.get(4)).matches("gone +- +- +the ID is listed but .* does not exist");
    assertThat(lines.get(5))
        .matches("n\\\\xff +- +- +the task ID is not valid UTF-8 \\(\\+1 more\\)");
    assertThat(lines.get(6)).matches("p2 +email:send +\\{\"n\":2} +-");
    assertThat(r.err().lines())
        .containsExactly(
            "jasynq: warning: 3 of the 5 tasks listed are malformed: see the problem column"
                + " (--json lists every problem)");

    JsonNode json = cli.run("task", "ls", "-q", "default", "-s", "pending", "--json").json();
    assertThat(json).hasSize(5);
    assertThat(json.get(3).get("id").asText()).isEqualTo("n\\xff");
    assertThat(json.get(3).get("problems")).hasSize(2);
    assertThat(json.get(0).get("problems")).isEmpty();
  }

  @Test
  void taskLsOfAWrongTypedStateKeyShowsOneBadRowAndExitsZero() {
    redis.commands().sadd("asynq:queues", bytes("default"));
    redis.commands().zadd(D + "retry", 1, bytes("r1"));
    redis.commands().set(D + "pending", bytes("oops"));

    Cli.Result r = cli.run("task", "ls", "-q", "default", "-s", "pending");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.lines().get(2)).matches("- +- +- +\\Q" + D + "pending is a string, not a list\\E");
    r = cli.run("task", "ls", "-q", "default", "-s", "retry");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.lines().get(2)).startsWith("r1 ");
  }

  @Test
  void taskInspectOfABadTaskShowsWhatCouldBeReadAndItsProblems() {
    var c = redis.commands();
    c.sadd("asynq:queues", bytes("default"));
    c.hset(D + "t:nomsg", Map.of("state", bytes("archived")));
    c.zadd(D + "archived", 1, bytes("nomsg"));

    Cli.Result r = cli.run("task", "inspect", "-q", "default", "-i", "nomsg");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("ID:        nomsg\n");
    assertThat(r.out()).contains("State:     archived\n");
    assertThat(r.out()).contains("Problems:  the task hash has no msg field\n");
    assertThat(r.err())
        .isEqualTo("jasynq: warning: task nomsg is malformed; what could be read is shown\n");
    assertThat(
            cli.run("task", "inspect", "-q", "default", "-i", "nomsg", "--json")
                .json()
                .get("problems"))
        .hasSize(1);
  }

  @Test
  void hugePayloadsArePreviewedNotPrintedWhole() {
    byte[] huge = new byte[10 * 1024 * 1024];
    Arrays.fill(huge, (byte) 'a');
    try (Client client = Client.connect(server.uri())) {
      client.enqueue(Task.of("big", huge), taskId("big"));
    }

    Cli.Result r = cli.run("task", "inspect", "-q", "default", "-i", "big");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out().length()).isLessThan(3000);
    assertThat(r.out()).contains("… (10.0 MB in all; --full or --json shows all)");

    r = cli.run("task", "ls", "-q", "default", "-s", "pending");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out().length()).isLessThan(500);
  }

  @Test
  void groupLsMarksAGroupWhoseKeyIsNotASortedSet() {
    var c = redis.commands();
    c.sadd("asynq:queues", bytes("default"));
    c.sadd(D + "groups", bytes("good"), bytes("listed"));
    c.zadd(D + "g:good", 1, bytes("t1"));
    c.rpush(D + "g:listed", bytes("x"));

    Cli.Result r = cli.run("group", "ls", "-q", "default");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.lines())
        .containsExactly(
            "group   size  problem",
            "------  ----  " + "-".repeat(46),
            "good       1  -",
            "listed     0  " + D + "g:listed is a list, not a zset");
    assertThat(r.err()).contains("1 of the 2 groups listed is malformed");
  }

  private static Timestamp ts(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).build();
  }

  @Test
  void serverAndCronListingsMarkRecordsThatDoNotDecode() {
    var c = redis.commands();
    long expiry = Instant.now().getEpochSecond() + 60;
    byte[] good =
        io.jasynq.internal.broker.proto.ServerInfo.newBuilder()
            .setHost("a")
            .setPid(1)
            .setServerId("good")
            .setConcurrency(10)
            .setStatus("active")
            .setStartTime(ts(Instant.now()))
            .putQueues("default", 1)
            .build()
            .toByteArray();
    c.zadd("asynq:servers", expiry, bytes("asynq:servers:{a:1:good}"));
    c.set("asynq:servers:{a:1:good}", good);
    c.zadd("asynq:servers", expiry, bytes("asynq:servers:{b:2:bad}"));
    c.set("asynq:servers:{b:2:bad}", new byte[] {(byte) 0xff, 1});
    c.zadd("asynq:schedulers", expiry, bytes("asynq:schedulers:{h:1:s}"));
    byte[] entry =
        io.jasynq.internal.broker.proto.SchedulerEntry.newBuilder()
            .setId("e1")
            .setSpec("@every 1m")
            .setTaskType("report")
            .setNextEnqueueTime(ts(Instant.now().plusSeconds(60)))
            .build()
            .toByteArray();
    c.rpush("asynq:schedulers:{h:1:s}", entry, new byte[] {(byte) 0xff, 2});
    c.zadd("asynq:scheduler_history:e1", 100, new byte[] {(byte) 0xff, 3});

    Cli.Result r = cli.run("server", "ls");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.lines()).hasSize(4);
    assertThat(r.lines().get(2)).matches("good +a +1 +active +0/10 +default:1 +.* -");
    assertThat(r.lines().get(3))
        .matches("bad +b +2 +- +0/0 +- +\\Q" + "asynq:servers:{b:2:bad} does not decode\\E.*");
    assertThat(r.err()).contains("1 of the 2 servers listed is malformed");

    r = cli.run("cron", "ls");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.lines()).hasSize(4);
    assertThat(r.lines().get(2))
        .matches(
            "- +- +- +- +- +- +never +an entry of asynq:schedulers:\\{h:1:s} does not decode.*");
    assertThat(r.lines().get(3)).matches("e1 +@every 1m +report .* -");

    r = cli.run("cron", "history", "e1");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains(
            "1970-01-01T00:01:40Z  -        an event of asynq:scheduler_history:e1 does not decode");
    assertThat(cli.run("cron", "ls", "--json").json().get(0).get("problems")).hasSize(1);
  }
}
