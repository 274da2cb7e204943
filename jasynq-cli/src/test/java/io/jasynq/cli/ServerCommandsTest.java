package io.jasynq.cli;

import static io.jasynq.TaskOption.maxRetry;
import static io.jasynq.TaskOption.retention;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jasynq.Client;
import io.jasynq.ServeMux;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands that need a running server: active, completed and archived tasks, {@code server ls},
 * {@code stats} and {@code task cancel}; plus {@code cron} with no scheduler.
 */
@RedisTest
class ServerCommandsTest {
  @TempDir Path home;

  @Test
  void activeCompletedArchivedServersStatsAndCancel(RedisServer redisServer, TestRedis redis)
      throws Exception {
    ServeMux mux =
        new ServeMux()
            .handle("ok", ctx -> ctx.writeResult("{\"rows\":7}".getBytes(StandardCharsets.UTF_8)))
            .handle(
                "bad",
                ctx -> {
                  throw new IllegalStateException("smtp down");
                })
            .handle(
                "slow",
                ctx -> {
                  while (!ctx.isCancelled()) {
                    Thread.sleep(10);
                  }
                  throw new IllegalStateException("cancelled");
                });
    ServerConfig config =
        ServerConfig.builder()
            .concurrency(2)
            .taskCheckInterval(Duration.ofMillis(20))
            .heartbeatInterval(Duration.ofMillis(200))
            .build();
    String slow;
    try (Client client = Client.connect(redisServer.uri());
        Server server = Server.connect(redisServer.uri(), config)) {
      client.enqueue(Task.of("ok", "1"), retention(Duration.ofHours(1)));
      client.enqueue(Task.of("bad", "2"), maxRetry(0));
      slow = client.enqueue(Task.of("slow", "3")).id();
      server.start(mux);
      Cli cli = Cli.redis(home, redisServer.uri());
      await(
          "one completed, one archived, one active",
          () ->
              redis.zrangeWithScores("asynq:{default}:completed").size() == 1
                  && redis.zrangeWithScores("asynq:{default}:archived").size() == 1
                  && redis.lrange("asynq:{default}:active").size() == 1);
      await(
          "the heartbeat reports the active worker",
          () -> cli.run("server", "ls").out().contains(" 1/2 "));

      Cli.Result r = cli.run("server", "ls");
      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.lines().get(0)).matches("id +host +pid +status +active +queues +started");
      assertThat(r.lines().get(2))
          .matches(
              server.serverId()
                  + " +\\S+ +\\d+ +active +1/2 +default:1 +(just now|\\d+ seconds? ago)");
      JsonNode servers = cli.run("server", "ls", "--json").json();
      assertThat(servers).hasSize(1);
      assertThat(servers.get(0).get("active_workers").get(0).get("task_id").asText())
          .isEqualTo(slow);

      r = cli.run("task", "ls", "-q", "default", "-s", "active");
      assertThat(r.out()).containsPattern(slow + " +slow +3 +- +no"); // no deadline, a timeout
      r = cli.run("task", "ls", "-q", "default", "-s", "completed");
      assertThat(r.out()).containsPattern("ok +1 +(just now|\\d+ seconds? ago) +\\{\"rows\":7\\}");
      r = cli.run("task", "ls", "-q", "default", "-s", "archived");
      assertThat(r.out()).containsPattern("bad +2 +(just now|\\d+ seconds? ago) +smtp down");

      r = cli.run("stats");
      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out())
          .containsPattern("active +█{40} 1")
          .containsPattern("completed +█{40} 1")
          .containsPattern("pending +0\n")
          .containsPattern("default +3 +█+ +0 +1 +0s +no +\\d")
          .containsPattern("\n +2 +1 +50.0%\n");
      JsonNode stats = cli.run("stats", "--json").json();
      assertThat(stats.get("aggregate").get("processed").asLong()).isEqualTo(2);
      assertThat(stats.get("aggregate").get("failed").asLong()).isEqualTo(1);
      assertThat(stats.get("queues").get(0).get("size").asLong()).isEqualTo(3);

      r = cli.run("task", "cancel", slow);
      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out()).isEqualTo("Sent cancellation signal for task " + slow + "\n");
      await(
          "the cancelled task is retried",
          () -> redis.zrangeWithScores("asynq:{default}:retry").containsKey(slow));
      assertThat(cli.run("task", "inspect", "-q", "default", "-i", slow).out())
          .containsPattern("State: +retry")
          .containsPattern("Retried: +1/25")
          .containsPattern("Last error: +context canceled");
    }
  }

  @Test
  void noServersAndNoSchedulers(RedisServer redisServer) {
    Cli cli = Cli.redis(home, redisServer.uri());
    assertThat(cli.run("server", "ls").out()).isEqualTo("No running servers.\n");
    assertThat(cli.run("server", "ls", "--json").json()).isEmpty();
    assertThat(cli.run("cron", "ls").out()).isEqualTo("No scheduler entries.\n");
    assertThat(cli.run("cron", "ls", "--json").json()).isEmpty();
    Cli.Result r = cli.run("cron", "history", "some-entry");
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("Entry: some-entry\nNo enqueues.\n");
    r = cli.run("stats");
    assertThat(r.out()).contains("No queues.").containsPattern("active +0\n");
  }

  @Test
  void statsEndsWithTheRedisInfoSection(RedisServer redisServer) {
    Cli cli = Cli.redis(home, redisServer.uri());
    Cli.Result r = cli.run("stats");
    assertThat(r.code()).as(r.toString()).isZero();
    java.util.List<String> lines = r.lines();
    int at = lines.indexOf("Redis Info");
    assertThat(at).as(r.toString()).isPositive();
    assertThat(lines.get(at + 1)).matches("version +uptime +connections +memory used +peak memory");
    assertThat(lines.get(at + 3)).matches("\\d+\\.\\d+\\.\\d+ +\\S+ +\\d+ +\\S+ +\\S+");
    JsonNode redis = cli.run("stats", "--json").json().get("redis");
    assertThat(redis.get("cluster").asBoolean()).isFalse();
    assertThat(redis.get("redis_version").asText()).matches("\\d+\\.\\d+\\.\\d+");
    assertThat(redis.get("connected_clients").asLong()).isPositive();
    assertThat(redis.get("used_memory").asLong()).isPositive();
  }

  private static void await(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within 60 s: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted: " + what, e);
      }
    }
  }
}
