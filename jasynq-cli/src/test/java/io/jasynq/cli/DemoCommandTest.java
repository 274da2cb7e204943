package io.jasynq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The quick start's main job: {@code jasynq demo}, against a given Redis and an embedded one. */
@RedisTest
class DemoCommandTest {
  private final StringWriter out = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));
    return cli.execute(args);
  }

  @Test
  void demoEnqueuesEveryKindIntoTheGivenRedisAndShowsIt(RedisServer server, TestRedis redis) {
    assertThat(run("demo", "--redis", server.uri())).isZero();
    assertThat(out.toString())
        .contains("pending in demo:emails")
        .contains("scheduled in demo:emails")
        .contains("aggregating in demo:emails, group user-42")
        .contains("rejected: task already exists")
        .contains("rejected: task ID conflicts")
        .contains("100 enqueued in one round trip")
        .contains("queues registered in asynq:queues: [")
        .contains("built the report; result kept for 24h")
        .contains("sent one digest for 3 events of user-42")
        .contains("newsletters sent: 100; the receipt failed once and was retried");
    // Processed: only the task scheduled for later waits, and the report is kept as completed.
    assertThat(redis.lrange("asynq:{demo:emails}:pending")).isEmpty();
    assertThat(redis.zrangeWithScores("asynq:{demo:emails}:scheduled")).hasSize(1);
    assertThat(redis.zrangeWithScores("asynq:{demo:reports}:completed")).hasSize(1);
    assertThat(redis.get("asynq:{demo:emails}:processed")).isEqualTo("104");
    assertThat(redis.get("asynq:{demo:emails}:failed")).isEqualTo("1");
    assertThat(redis.smembers("asynq:queues")).containsExactly("demo:emails", "demo:reports");
  }

  @Test
  void demoStartsAndStopsItsOwnRedisWhenNoneIsGiven() {
    assertThat(run("demo", "--redis", "")).isZero();
    assertThat(out.toString())
        .contains("starting an embedded Redis")
        .contains("107 tasks in all")
        .contains("2 tasks in all");
  }

  @Test
  void versionAndUnreachableRedis() {
    assertThat(run("version")).isZero();
    assertThat(out.toString()).contains("jasynq ");
    assertThat(run("demo", "--redis", "redis://127.0.0.1:1")).isEqualTo(1);
    assertThat(out.toString()).contains("jasynq: cannot connect to redis://127.0.0.1:1/0");
  }
}
