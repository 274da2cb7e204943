package io.jasynq.internal.broker;

import static io.jasynq.TaskOption.group;
import static io.jasynq.TaskOption.processIn;
import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.retention;
import static io.jasynq.TaskOption.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.jasynq.BatchResult;
import io.jasynq.Client;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.TaskOption;
import io.jasynq.internal.broker.proto.ServerInfo;
import io.jasynq.internal.broker.proto.TaskMessage;
import io.jasynq.internal.broker.proto.WorkerInfo;
import io.jasynq.internal.connection.Subscription;
import io.jasynq.redis.RedisConnector;
import io.jasynq.support.ClusterQueues;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.RedisCluster;
import io.jasynq.testkit.RedisClusterTest;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every broker operation, hence every script, on a real 3-master Redis Cluster, with one queue on
 * each master: a script touching a key outside its queue's slot fails here with CROSSSLOT, and one
 * reaching a key on another node fails with a routing error. Also the cluster-only paths: script
 * preloading on every node for batches, the EVAL fallback per node, Pub/Sub across nodes.
 */
@RedisClusterTest
class BrokerClusterTest {
  private static final Instant NOW = Instant.parse("2035-06-01T12:00:30Z");
  private static final Instant LEASE = NOW.plusSeconds(30);

  private final RedisCluster cluster;
  private final FakeClock clock = FakeClock.at(NOW);
  private RedisConnector connector;
  private Broker broker;
  private Client client;
  private RedisClusterClient inspectClient;
  private StatefulRedisClusterConnection<String, String> inspectConnection;
  private RedisAdvancedClusterCommands<String, String> redis;
  private List<String> queues; // one per master

  BrokerClusterTest(RedisCluster cluster) {
    this.cluster = cluster;
  }

  @BeforeEach
  void open() {
    connector = RedisConnector.create(ClusterQueues.uri(cluster));
    broker = Broker.open(connector.connectionSource());
    client = Client.builder().connector(connector).clock(clock).build();
    inspectClient = RedisClusterClient.create(cluster.uri());
    inspectConnection = inspectClient.connect();
    redis = inspectConnection.sync();
    queues = ClusterQueues.onEveryMaster(cluster);
  }

  @AfterEach
  void close() {
    client.close();
    broker.close();
    connector.close();
    inspectConnection.close();
    inspectClient.shutdown(Duration.ZERO, Duration.ofSeconds(5));
  }

  private <T> T await(java.util.concurrent.CompletableFuture<T> f) {
    return broker.await(f);
  }

  private TaskMessage active(String q, Task task) {
    TaskInfo info = client.enqueue(task, queue(q));
    List<Dequeued> d = await(broker.tasks().dequeue(List.of(q), NOW, LEASE, 10)).tasks();
    return d.stream().filter(x -> x.id().equals(info.id())).findFirst().orElseThrow().message();
  }

  @Test
  void everyEnqueuePathOnEveryMaster() {
    for (String q : queues) {
      TaskInfo pending = client.enqueue(Task.of("t", "p"), queue(q), unique(Duration.ofHours(1)));
      TaskInfo scheduled = client.enqueue(Task.of("t"), queue(q), processIn(Duration.ofHours(1)));
      TaskInfo grouped = client.enqueue(Task.of("t"), queue(q), group("g"));
      assertThat(redis.hget(Keys.task(q, pending.id()), "state")).isEqualTo("pending");
      assertThat(redis.hget(Keys.task(q, scheduled.id()), "state")).isEqualTo("scheduled");
      assertThat(redis.hget(Keys.task(q, grouped.id()), "state")).isEqualTo("aggregating");
      assertThat(redis.smembers(Keys.groups(q))).containsExactly("g");
    }
    assertThat(redis.smembers(Keys.queues())).containsExactlyInAnyOrderElementsOf(queues);
  }

  @Test
  void batchAcrossEveryMasterPreloadsScriptsOnEveryNode() {
    redis.scriptFlush(); // on every node
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      tasks.add(Task.builder("t").payload("p" + i).build());
    }
    for (String q : queues) {
      var results = client.enqueueBatch(tasks, queue(q));
      assertThat(results).allMatch(BatchResult::isSuccess);
      var again =
          client.enqueueBatch(List.of(Task.of("u", "x")), queue(q), unique(Duration.ofHours(1)));
      assertThat(again).allMatch(BatchResult::isSuccess);
      assertThat(redis.llen(Keys.pending(q))).isEqualTo(31);
    }
    for (var node : inspectConnection.getPartitions()) {
      assertThat(
              inspectConnection
                  .getConnection(node.getNodeId())
                  .sync()
                  .scriptExists(Script.ENQUEUE.sha(), Script.SCHEDULE.sha()))
          .as("scripts cached on %s", node.getUri())
          .containsExactly(true, false);
    }
  }

  @Test
  void evalFallbackWhenANodeLostItsScripts() {
    for (String q : queues) {
      client.enqueue(Task.of("t"), queue(q));
    }
    redis.scriptFlush();
    for (String q : queues) {
      assertThat(client.enqueue(Task.of("t"), queue(q)).queue()).isEqualTo(q);
      assertThat(await(broker.tasks().dequeue(List.of(q), NOW, LEASE, 5)).tasks()).hasSize(2);
    }
  }

  @Test
  void everyCompletionScriptOnEveryMaster() throws Exception {
    for (String q : queues) {
      TaskMessage done = active(q, Task.of("done"));
      await(broker.outcomes().done(done, NOW));
      List<TaskMessage> many = List.of(active(q, Task.of("m1")), active(q, Task.of("m2")));
      assertThat(await(broker.outcomes().doneMany(q, many, NOW))).containsExactly(true, true);

      TaskInfo kept = client.enqueue(Task.of("kept"), queue(q), retention(Duration.ofHours(1)));
      TaskMessage keptMsg =
          await(broker.tasks().dequeue(List.of(q), NOW, LEASE, 1)).tasks().get(0).message();
      assertThat(await(broker.outcomes().writeResult(q, kept.id(), "r".getBytes()))).isTrue();
      await(broker.outcomes().markComplete(keptMsg, NOW));
      assertThat(redis.hget(Keys.task(q, kept.id()), "state")).isEqualTo("completed");
      assertThat(await(broker.tasks().deleteExpiredCompleted(q, NOW.plus(Duration.ofHours(2)), 10)))
          .isEqualTo(1);

      TaskMessage requeued = active(q, Task.of("requeue"));
      await(broker.outcomes().requeue(requeued, NOW));
      TaskMessage again =
          await(broker.tasks().dequeue(List.of(q), NOW, LEASE, 1)).tasks().get(0).message();
      await(broker.outcomes().retry(again, NOW, NOW.plusSeconds(10), "boom", true));
      assertThat(redis.hget(Keys.task(q, again.getId()), "state")).isEqualTo("retry");
      assertThat(await(broker.tasks().forward(q, NOW.plusSeconds(11))).moved()).isEqualTo(1);

      TaskMessage archived =
          await(broker.tasks().dequeue(List.of(q), NOW, LEASE, 1)).tasks().get(0).message();
      await(broker.outcomes().archive(archived, NOW, "dead"));
      assertThat(redis.hget(Keys.task(q, archived.getId()), "state")).isEqualTo("archived");

      TaskMessage malformed = active(q, Task.of("bad"));
      await(
          broker.outcomes().archiveMalformed(q, malformed.getId(), new byte[] {1, 2}, "test", NOW));

      TaskMessage leased = active(q, Task.of("lease"));
      await(broker.tasks().extendLease(q, List.of(leased.getId()), LEASE.plusSeconds(60)));
      assertThat(await(broker.tasks().listLeaseExpired(q, LEASE.plusSeconds(61))).leased())
          .extracting(Leased::id)
          .containsExactly(leased.getId());
      assertThat(redis.zcard(Keys.archived(q))).isEqualTo(2);
      assertThat(redis.get(Keys.processedTotal(q))).isEqualTo("7");
    }
  }

  @Test
  void debounceOnEveryMaster() {
    for (String q : queues) {
      TaskOption d = TaskOption.debounce("k", Duration.ofSeconds(10), Duration.ofMinutes(1));
      TaskInfo first = client.enqueue(Task.of("t", "1"), queue(q), d);
      TaskInfo second = client.enqueue(Task.of("t", "2"), queue(q), d);
      assertThat(redis.zrange(Keys.scheduled(q), 0, -1)).containsExactly(second.id());
      assertThat(redis.exists(Keys.task(q, first.id()))).isZero();
      assertThat(redis.get(Keys.uniqueByKey(q, "k"))).isEqualTo(second.id());
    }
  }

  @Test
  void concurrencyAndRateLimitsOnEveryMaster() {
    for (String q : queues) {
      for (int i = 0; i < 4; i++) {
        client.enqueue(Task.of("limited"), queue(q));
      }
      assertThat(await(broker.limits().setConcurrency(q, 2))).isNull();
      assertThat(await(broker.limits().concurrency(q))).isEqualTo("2");
      DequeueBatch first = await(broker.tasks().dequeue(List.of(q), NOW, LEASE, 10));
      assertThat(first.tasks()).hasSize(2);
      assertThat(first.limited()).containsExactly(q);
      TaskMessage done = first.tasks().get(0).message();
      TaskFlow.DoneThenNext next =
          await(broker.tasks().doneThenDequeue(done, broker.outcomes(), q, NOW, LEASE, 5));
      assertThat(next.next().tasks()).hasSize(1);
      assertThat(next.next().limited()).containsExactly(q);
      await(broker.limits().setConcurrency(q, null));
      assertThat(await(broker.tasks().dequeue(List.of(q), NOW, LEASE, 10)).tasks()).hasSize(1);

      for (int i = 0; i < 3; i++) {
        client.enqueue(Task.of("metered"), queue(q));
      }
      await(broker.limits().setRate(q, io.jasynq.RateLimit.of(2, Duration.ofMinutes(1))));
      assertThat(await(broker.tasks().dequeue(List.of(q), NOW, LEASE, 10)).tasks()).hasSize(2);
      DequeueBatch out = await(broker.tasks().dequeue(List.of(q), NOW, LEASE, 10));
      assertThat(out.tasks()).isEmpty();
      assertThat(out.rateWaitMillis()).isEqualTo(30_000);
      assertThat(redis.hget(Keys.rateBucket(q), "tokens")).isEqualTo("0");
    }
  }

  @Test
  void everyAggregationScriptOnEveryMaster() {
    for (String q : queues) {
      client.enqueue(Task.of("a", "1"), queue(q), group("g"));
      client.enqueue(Task.of("a", "2"), queue(q), group("g"));
      assertThat(await(broker.groups().listGroups(q))).containsExactly("g");
      String set =
          await(
              broker
                  .groups()
                  .aggregationCheck(q, "g", NOW, Duration.ofSeconds(1), Duration.ZERO, 2));
      assertThat(set).isNotNull();
      AggregationSet read = await(broker.groups().readAggregationSet(set));
      assertThat(read.messages()).hasSize(2);
      await(broker.groups().deleteAggregationSet(q, set));
      assertThat(redis.exists(set)).isZero();

      client.enqueue(Task.of("a", "3"), queue(q), group("h"));
      String stale =
          await(
              broker
                  .groups()
                  .aggregationCheck(q, "h", NOW, Duration.ofSeconds(1), Duration.ZERO, 1));
      assertThat(
              await(
                  broker.groups().reclaimStaleAggregationSets(q, NOW.plus(Duration.ofMinutes(3)))))
          .isEqualTo(1);
      assertThat(redis.exists(stale)).isZero();

      TaskInfo bad = client.enqueue(Task.of("a", "4"), queue(q), group("k"));
      String withBad =
          await(
              broker
                  .groups()
                  .aggregationCheck(q, "k", NOW, Duration.ofSeconds(1), Duration.ZERO, 1));
      assertThat(
              await(broker.groups().archiveMalformedMember(withBad, bad.id(), null, "test", NOW)))
          .isTrue();
    }
  }

  @Test
  void serverStateAndPubSubAcrossNodes() throws Exception {
    ServerInfo info =
        ServerInfo.newBuilder()
            .setHost("host-1")
            .setPid(42)
            .setServerId("sid-1")
            .setStartTime(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond()))
            .build();
    WorkerInfo worker =
        WorkerInfo.newBuilder()
            .setHost("host-1")
            .setPid(42)
            .setServerId("sid-1")
            .setTaskId("x")
            .build();
    await(broker.servers().writeServerState(info, List.of(worker), NOW, Duration.ofSeconds(10)));
    assertThat(redis.exists(Keys.server("host-1", 42, "sid-1"))).isEqualTo(1);
    assertThat(redis.hkeys(Keys.workers("host-1", 42, "sid-1"))).containsExactly("x");
    await(broker.servers().clearServerState("host-1", 42, "sid-1"));
    assertThat(redis.exists(Keys.server("host-1", 42, "sid-1"))).isZero();
    await(broker.ping());

    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    Subscription s =
        broker
            .servers()
            .subscribe(
                new io.jasynq.internal.connection.Listening(
                    Map.of(
                        Keys.cancelChannel(), id -> heard.add("cancel:" + id),
                        Keys.pendingChannel(), key -> heard.add("pending:" + key)),
                    queues.stream().map(Keys::pending).toList(),
                    () -> heard.add("key write"))); // never: no key tracking on a cluster
    try {
      await(broker.servers().publishCancel("t-1"));
      assertThat(heard.poll(30, TimeUnit.SECONDS)).isEqualTo("cancel:t-1");
      for (String q : queues) { // the enqueue script publishes from the queue's own node
        client.enqueue(Task.of("t"), queue(q));
        assertThat(heard.poll(30, TimeUnit.SECONDS)).isEqualTo("pending:" + Keys.pending(q));
      }
    } finally {
      s.release();
    }
  }
}
