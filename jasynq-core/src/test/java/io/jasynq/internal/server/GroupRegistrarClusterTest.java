package io.jasynq.internal.server;

import static io.jasynq.TaskOption.group;
import static io.jasynq.TaskOption.processIn;
import static io.jasynq.TaskOption.queue;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.Task;
import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.Keys;
import io.jasynq.internal.broker.RedisNodes;
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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * On Redis Cluster each queue's group keys live on the master owning its slot: the repair's SCAN
 * must go there, not to whichever node a keyless command would reach.
 */
@RedisClusterTest
class GroupRegistrarClusterTest {
  private final FakeClock clock = FakeClock.at(Instant.parse("2035-06-01T12:00:00Z"));
  private final RedisCluster cluster;
  private final RedisConnector connector;
  private final Broker broker;
  private final Client client;
  private final RedisClusterClient inspectClient;
  private final StatefulRedisClusterConnection<String, String> inspectConnection;
  private final RedisAdvancedClusterCommands<String, String> redis;

  GroupRegistrarClusterTest(RedisCluster cluster) {
    this.cluster = cluster;
    this.connector = RedisConnector.create(ClusterQueues.uri(cluster));
    this.broker = Broker.open(connector.connectionSource());
    this.client = Client.builder().connector(connector).clock(clock).build();
    this.inspectClient = RedisClusterClient.create(cluster.uri());
    this.inspectConnection = inspectClient.connect();
    this.redis = inspectConnection.sync();
  }

  @AfterEach
  void close() {
    client.close();
    broker.close();
    connector.close();
    inspectConnection.close();
    inspectClient.shutdown(Duration.ZERO, Duration.ofSeconds(5));
  }

  @Test
  void registersStrandedGroupsOfQueuesOnEveryMaster() {
    List<String> queues = ClusterQueues.onEveryMaster(cluster);
    for (String q : queues) {
      String id =
          client.enqueue(Task.of("t"), queue(q), group("g"), processIn(Duration.ofMinutes(1))).id();
      // A Go aggregator unregistered the group, then a Go forwarder moved the task in (§3.15).
      redis.srem(Keys.groups(q), "g");
      redis.zadd(Keys.group(q, "g"), clock.now().getEpochSecond() + 60, id);
      redis.zrem(Keys.scheduled(q), id);
      redis.hset(Keys.task(q, id), "state", "aggregating");
    }

    new GroupRegistrar(broker, new RedisNodes(broker), queues).runOnce(clock.now());

    for (String q : queues) {
      assertThat(redis.smembers(Keys.groups(q))).as(q).containsExactly("g");
    }
  }
}
