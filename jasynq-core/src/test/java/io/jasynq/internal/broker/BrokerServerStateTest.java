package io.jasynq.internal.broker;

import static io.jasynq.TaskOption.queue;
import static io.jasynq.internal.broker.BrokerFixture.NOW;
import static io.jasynq.internal.broker.BrokerFixture.NOW_S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.internal.broker.proto.ServerInfo;
import io.jasynq.internal.broker.proto.TaskMessage;
import io.jasynq.internal.broker.proto.WorkerInfo;
import io.jasynq.internal.connection.Subscription;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Heartbeat state (wire-format §3.19), WriteResult (§3.22, §9.12) and cancellation (§3.21). */
@BrokerTest
class BrokerServerStateTest {
  private static final Duration TTL = Duration.ofSeconds(10);
  private static final String SERVER_KEY = "asynq:servers:{host-1:42:sid-1}";
  private static final String WORKERS_KEY = "asynq:workers:{host-1:42:sid-1}";

  private final BrokerFixture f;

  BrokerServerStateTest(BrokerFixture f) {
    this.f = f;
  }

  private static ServerInfo info(int activeWorkers) {
    return ServerInfo.newBuilder()
        .setHost("host-1")
        .setPid(42)
        .setServerId("sid-1")
        .setConcurrency(10)
        .putQueues("default", 1)
        .setStatus("active")
        .setStartTime(Timestamp.newBuilder().setSeconds(NOW_S - 60))
        .setActiveWorkerCount(activeWorkers)
        .build();
  }

  private static WorkerInfo worker(String taskId) {
    return WorkerInfo.newBuilder()
        .setHost("host-1")
        .setPid(42)
        .setServerId("sid-1")
        .setTaskId(taskId)
        .setTaskType("t")
        .setQueue("default")
        .setStartTime(Timestamp.newBuilder().setSeconds(NOW_S))
        .setDeadline(Timestamp.newBuilder().setSeconds(NOW_S + 1800))
        .build();
  }

  @Test
  void writesServerInfoWorkersAndRegistriesWithTheTtl() throws Exception {
    f.await(
        f.broker.servers().writeServerState(info(2), List.of(worker("a"), worker("b")), NOW, TTL));

    assertThat(f.redis.keys("*"))
        .containsExactlyInAnyOrder("asynq:servers", "asynq:workers", SERVER_KEY, WORKERS_KEY);
    assertThat(f.redis.zrangeWithScores("asynq:servers"))
        .containsExactly(Map.entry(SERVER_KEY, (double) (NOW_S + 10)));
    assertThat(f.redis.zrangeWithScores("asynq:workers"))
        .containsExactly(Map.entry(WORKERS_KEY, (double) (NOW_S + 10)));
    assertThat(f.redis.type(SERVER_KEY)).isEqualTo("string");
    assertThat(ServerInfo.parseFrom(f.redis.getBytes(SERVER_KEY))).isEqualTo(info(2));
    assertThat(f.redis.ttl(SERVER_KEY)).isBetween(9L, 10L);
    assertThat(f.redis.type(WORKERS_KEY)).isEqualTo("hash");
    assertThat(f.redis.hkeys(WORKERS_KEY)).containsExactly("a", "b");
    assertThat(WorkerInfo.parseFrom(f.redis.hgetAll(WORKERS_KEY).get("b"))).isEqualTo(worker("b"));
    assertThat(f.redis.ttl(WORKERS_KEY)).isBetween(9L, 10L);
    assertThat(f.redis.ttl("asynq:servers")).isEqualTo(-1);
  }

  @Test
  void aHeartbeatPrunesExpiredEntriesOfOtherServersSoInspectorsOnlyRead() {
    var c = f.redis.commands();
    c.zadd("asynq:servers", (double) NOW_S - 1, "asynq:servers:{dead:1:x}".getBytes());
    c.zadd("asynq:servers", (double) NOW_S, "asynq:servers:{live:1:x}".getBytes());
    c.zadd("asynq:workers", (double) NOW_S - 1, "asynq:workers:{dead:1:x}".getBytes());

    f.await(f.broker.servers().writeServerState(info(0), List.of(), NOW, TTL));

    assertThat(f.redis.zrangeWithScores("asynq:servers"))
        .containsOnlyKeys(SERVER_KEY, "asynq:servers:{live:1:x}");
    assertThat(f.redis.zrangeWithScores("asynq:workers")).containsOnlyKeys(WORKERS_KEY);
  }

  @Test
  void aHeartbeatWithNoWorkersLeavesNoWorkersHash() {
    f.await(f.broker.servers().writeServerState(info(1), List.of(worker("a")), NOW, TTL));

    f.await(f.broker.servers().writeServerState(info(0), List.of(), NOW.plusSeconds(5), TTL));

    assertThat(f.redis.type(WORKERS_KEY)).isEqualTo("none");
    assertThat(f.redis.zrangeWithScores("asynq:servers"))
        .containsExactly(Map.entry(SERVER_KEY, (double) (NOW_S + 15)));
    assertThat(f.redis.zrangeWithScores("asynq:workers"))
        .containsExactly(Map.entry(WORKERS_KEY, (double) (NOW_S + 15)));
  }

  @Test
  void aSubSecondTtlIsRoundedUpToWholeSeconds() {
    f.await(
        f.broker
            .servers()
            .writeServerState(info(1), List.of(worker("a")), NOW, Duration.ofMillis(400)));

    assertThat(f.redis.zrangeWithScores("asynq:servers"))
        .containsExactly(Map.entry(SERVER_KEY, (double) (NOW_S + 1)));
    assertThat(f.redis.ttl(SERVER_KEY)).isBetween(0L, 1L);
    assertThat(f.redis.ttl(WORKERS_KEY)).isBetween(0L, 1L);
    assertThatThrownBy(
            () -> f.broker.servers().writeServerState(info(1), List.of(), NOW, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ttl");
  }

  @Test
  void clearRemovesEveryEntryOfThisServerOnly() {
    f.await(f.broker.servers().writeServerState(info(1), List.of(worker("a")), NOW, TTL));
    f.redis
        .commands()
        .zadd("asynq:servers", (double) NOW_S, "asynq:servers:{other:1:x}".getBytes());

    f.await(f.broker.servers().clearServerState("host-1", 42, "sid-1"));

    assertThat(f.redis.keys("*")).containsExactly("asynq:servers");
    assertThat(f.redis.zrangeWithScores("asynq:servers"))
        .containsOnlyKeys("asynq:servers:{other:1:x}");
  }

  @Test
  void writeResultStoresTheResultOfAnActiveTask() {
    TaskMessage msg = f.active(Task.of("t"), queue("q"));

    assertThat(
            f.await(f.broker.outcomes().writeResult("q", msg.getId(), new byte[] {(byte) 0xff, 0})))
        .isTrue();

    assertThat(f.redis.hgetAll(Keys.task("q", msg.getId())).get("result")).containsExactly(0xff, 0);
  }

  @Test
  void writeResultRefusesAMissingOrInactiveTaskAndWritesNothing() {
    TaskInfo pending = f.enqueue(Task.of("t"), queue("q"));
    Map<String, String> before = f.snapshot();

    assertThat(f.await(f.broker.outcomes().writeResult("q", "gone", new byte[] {1}))).isFalse();
    assertThat(f.await(f.broker.outcomes().writeResult("q", pending.id(), new byte[] {1})))
        .isFalse();

    assertThat(f.snapshot()).isEqualTo(before);
  }

  @Test
  void publishCancelSendsTheTaskIdOnTheCancelChannel() throws Exception {
    RedisClient client = RedisClient.create(f.server.uri());
    try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub()) {
      BlockingQueue<String> received = new LinkedBlockingQueue<>();
      sub.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
              received.add(channel + " " + message);
            }
          });
      sub.sync().subscribe("asynq:cancel");

      f.await(f.broker.servers().publishCancel("task-1"));

      assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("asynq:cancel task-1");
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Test
  void subscriptionReceivesWhatPublishCancelSends() throws Exception {
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    Subscription subscription =
        f.broker
            .servers()
            .subscribe(
                io.jasynq.internal.connection.Listening.channels(
                    java.util.Map.of(Keys.cancelChannel(), received::add)));
    try {
      f.await(f.broker.servers().publishCancel("task-2"));

      assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("task-2");
    } finally {
      subscription.release();
    }
  }
}
