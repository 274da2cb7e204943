package io.jasynq.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.support.LogCapture;
import io.jasynq.testkit.ClientConnection;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.Seed;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A task that a Go producer enqueues publishes no wake-up; the server hears of it through Redis key
 * tracking on its pending lists instead of waiting for its next poll. The poll here is a minute (an
 * idle wait of 30–90 s), so a task not taken within seconds was not woken for.
 */
@RedisTest
class GoProducerWakeUpTest {
  private static final Duration MINUTE_POLL = Duration.ofMinutes(1);
  private static final String KEY_WATCH = "io.jasynq.internal.server.KeyWatch";

  private final RedisServer redisServer;
  private final TestRedis redis;

  GoProducerWakeUpTest(RedisServer redisServer, TestRedis redis) {
    this.redisServer = redisServer;
    this.redis = redis;
  }

  @Test
  void tasksWrittenWithoutAPublishWakeAnIdleServer() throws Exception {
    BlockingQueue<String> ran = new LinkedBlockingQueue<>();
    try (Server server = Server.connect(redisServer.uri(), config())) {
      server.start(ctx -> ran.add(ctx.taskId()));
      for (int i = 0; i < 3; i++) {
        // Idle: the fetch loop found the queue empty, turned tracking on and waits for its poll.
        Eventually.until("tracking while idle", () -> trackers().size() == 1);
        String id = Seed.into(redis).queue("go").task("t").payload("from go " + i).pendingAsGo();
        assertThat(ran.poll(10, TimeUnit.SECONDS)).as("task %d", i).isEqualTo(id);
      }
    }
    assertThat(trackers()).isEmpty(); // the connections went with the server
  }

  @Test
  void trackingIsOffWhileTheServerIsBusy() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (Server server = Server.connect(redisServer.uri(), config())) {
      server.start(
          ctx -> {
            running.countDown();
            release.await();
          });
      Eventually.until("tracking while idle", () -> trackers().size() == 1);
      Seed.into(redis).queue("go").task("t").pendingAsGo();
      assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
      // Busy: every dequeue would cost an invalidation, so the fetch loop turned tracking off.
      Eventually.until("no tracking while busy", () -> trackers().isEmpty());
      release.countDown();
      Eventually.until("tracking again once idle", () -> trackers().size() == 1);
    }
  }

  @Test
  void keyTrackingFollowsTheSubscriptionAfterItsConnectionIsKilled() throws Exception {
    BlockingQueue<String> ran = new LinkedBlockingQueue<>();
    try (Server server = Server.connect(redisServer.uri(), config())) {
      server.start(ctx -> ran.add(ctx.taskId()));
      Eventually.until("tracking while idle", () -> trackers().size() == 1);
      String target = trackers().get(0).fields().get("redir");
      redis.commands().clientKill(io.lettuce.core.KillArgs.Builder.id(Long.parseLong(target)));
      // Lettuce reconnects and subscribes again, with a new connection ID; the channel listener's
      // next pass (5 s) subscribes afresh and redirects tracking there.
      Eventually.until(
          Duration.ofSeconds(30),
          "tracking redirected to the new subscription",
          () ->
              trackers().stream()
                  .anyMatch(
                      c ->
                          !c.fields().get("redir").equals(target)
                              && !c.fields().getOrDefault("flags", "").contains("R")));
      String id = Seed.into(redis).queue("go").task("t").payload("after the kill").pendingAsGo();
      assertThat(ran.poll(10, TimeUnit.SECONDS)).isEqualTo(id);
    }
  }

  @Test
  void aUserWithoutClientTrackingKeepsTheServerWorkingAndPolls() throws Exception {
    redis.aclSetUser("no-tracking", List.of("on", ">pw", "+@all", "-client|tracking", "~*", "&*"));
    try (LogCapture logs = LogCapture.start();
        Server server =
            Server.connect(
                "redis://no-tracking:pw@127.0.0.1:" + redisServer.port(),
                ServerConfig.builder().queue("go", 1).build())) {
      BlockingQueue<String> ran = new LinkedBlockingQueue<>();
      server.start(ctx -> ran.add(ctx.taskId()));
      String id = Seed.into(redis).queue("go").task("t").payload("polled").pendingAsGo();
      assertThat(ran.poll(10, TimeUnit.SECONDS)).isEqualTo(id); // the default 1 s poll
      Eventually.until(
          "refusal logged",
          () ->
              logs.messages(KEY_WATCH, Level.INFO).stream()
                  .anyMatch(
                      m -> m.startsWith("Redis refused key tracking (") && m.contains("NOPERM")));
      assertThat(logs.warningsAndErrors()).isEmpty();
      assertThat(trackers()).isEmpty();
    } finally {
      redis.aclDelUser("no-tracking");
    }
  }

  private static ServerConfig config() {
    return ServerConfig.builder()
        .queue("go", 1)
        .concurrency(1)
        .taskCheckInterval(MINUTE_POLL)
        .build();
  }

  /** The connections tracking keys in broadcast mode (flag B); the server's broker connection. */
  private List<ClientConnection> trackers() {
    return redis.clientList().stream()
        .filter(c -> c.fields().getOrDefault("flags", "").contains("B"))
        .toList();
  }
}
