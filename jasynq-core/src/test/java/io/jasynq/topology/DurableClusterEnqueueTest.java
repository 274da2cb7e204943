package io.jasynq.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.BatchResult;
import io.jasynq.Client;
import io.jasynq.NotReplicatedException;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.TaskOption;
import io.jasynq.support.ClusterQueues;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.RedisCluster;
import io.jasynq.testkit.RedisClusterTest;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.TestRedis;
import io.lettuce.core.ClientListArgs;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Durable enqueue ({@code waitForReplicas}) on Redis Cluster: the script and its WAIT go over the
 * connection Lettuce routes the queue's slot through, to the master owning it; one WAIT per master
 * a batch wrote to.
 */
@RedisClusterTest
class DurableClusterEnqueueTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  /**
   * What the design rests on: Lettuce sends a slot-routed write over the node connection that
   * {@code getConnection(host, port)} returns, while {@code getConnection(nodeId)} is another one.
   */
  @Test
  void lettuceRoutesSlotWritesOverTheHostAndPortNodeConnection(RedisCluster cluster) {
    RedisClusterClient client = RedisClusterClient.create(cluster.uri());
    try (StatefulRedisClusterConnection<String, String> c = client.connect()) {
      String key = "{lettuce}k";
      c.sync().set(key, "1"); // routed: opens the slot's write connection
      RedisClusterNode master = c.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
      RedisURI uri = master.getUri();
      long byHostPort = c.getConnection(uri.getHost(), uri.getPort()).sync().clientId();
      long byNodeId = c.getConnection(master.getNodeId()).sync().clientId();
      c.sync().set(key, "2"); // routed again

      try (TestRedis node = TestRedis.connect("redis://" + uri.getHost() + ":" + uri.getPort())) {
        String hostPortClient = node.commands().clientList(ClientListArgs.Builder.ids(byHostPort));
        String nodeIdClient = node.commands().clientList(ClientListArgs.Builder.ids(byNodeId));
        // The routed SET was the last command of the host:port connection, not of the other.
        assertThat(hostPortClient).contains("cmd=set");
        assertThat(nodeIdClient).contains("cmd=client");
      }
      assertThat(byNodeId).isNotEqualTo(byHostPort);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(5));
    }
  }

  @Test
  void succeedsOnceTheReplicaOfTheSlotsMasterHasTheTask(RedisCluster cluster) {
    String q = ClusterQueues.onEveryMaster(cluster).get(1);
    RedisServer replica = replicaOf(cluster, cluster.masterFor("asynq:{" + q + "}:pending"));
    try (Client client = durableClient(cluster, Duration.ofSeconds(5));
        TestRedis onReplica = TestRedis.connect(replica.uri())) {
      TaskInfo info = client.enqueue(Task.of("t", "x"), TaskOption.queue(q));

      onReplica.commands().readOnly();
      assertThat(onReplica.commands().exists("asynq:{" + q + "}:t:" + info.id())).isEqualTo(1);
      assertThat(onReplica.commands().lrange("asynq:{" + q + "}:pending", 0, -1)).hasSize(1);
    }
  }

  @Test
  void batchWaitsOncePerMasterWrittenTo(RedisCluster cluster) {
    List<String> queues = ClusterQueues.onEveryMaster(cluster);
    Map<String, RedisServer> masters = new TreeMap<>();
    for (String q : queues) {
      masters.put(q, cluster.masterFor("asynq:{" + q + "}:pending"));
      call(masters.get(q), "CONFIG", "RESETSTAT");
    }
    try (Client client = durableClient(cluster, Duration.ofSeconds(5))) {
      List<Task> tasks = new ArrayList<>();
      for (String q : queues) {
        for (int i = 0; i < 3; i++) {
          tasks.add(Task.of("t", q + "-" + i, TaskOption.queue(q)));
        }
      }
      List<BatchResult> results = client.enqueueBatch(tasks);

      assertThat(results).allMatch(BatchResult::isSuccess);
      for (String q : queues) {
        RedisServer replica = replicaOf(cluster, masters.get(q));
        try (TestRedis onReplica = TestRedis.connect(replica.uri())) {
          onReplica.commands().readOnly();
          assertThat(onReplica.commands().llen("asynq:{" + q + "}:pending")).isEqualTo(3);
        }
        assertThat(call(masters.get(q), "INFO", "commandstats")).contains("cmdstat_wait:calls=1,");
      }
    }
  }

  @Test
  void failsWhenTheSlotsReplicaCannotAcknowledgeButTheTaskExists(RedisCluster cluster) {
    List<String> queues = ClusterQueues.onEveryMaster(cluster);
    String q = queues.get(2);
    String other = queues.get(0);
    RedisServer master = cluster.masterFor("asynq:{" + q + "}:pending");
    RedisServer replica = replicaOf(cluster, master);
    try (Client client = durableClient(cluster, Duration.ofMillis(200))) {
      replica.stop();
      assertThatThrownBy(
              () -> client.enqueue(Task.of("t", "x"), TaskOption.queue(q), TaskOption.taskId("a")))
          .isInstanceOfSatisfying(
              NotReplicatedException.class,
              e -> {
                assertThat(e.taskId()).isEqualTo("a");
                assertThat(e.queue()).isEqualTo(q);
                assertThat(e.acknowledged()).isZero();
              });
      try (TestRedis onMaster = TestRedis.connect(master.uri())) {
        assertThat(onMaster.lrange("asynq:{" + q + "}:pending")).containsExactly("a");
      }

      // A batch: the task on the master without its replica fails, the other one succeeds.
      List<BatchResult> batch =
          client.enqueueBatch(
              List.of(
                  Task.of("t", "1", TaskOption.queue(q)),
                  Task.of("t", "2", TaskOption.queue(other))));
      assertThat(batch.get(0).error()).isInstanceOf(NotReplicatedException.class);
      assertThat(batch.get(1).isSuccess()).isTrue();
    } finally {
      replica.restart(); // it rejoins as the master's replica (its nodes.conf is kept)
      Eventually.until(
          PATIENCE,
          "the replica is back in sync",
          () ->
              call(master, "INFO", "replication").contains("connected_slaves:1")
                  && call(master, "INFO", "replication").contains("state=online"));
    }
  }

  @Test
  void followsAMovedRedirectWhenTheSlotsMasterChanged(RedisCluster cluster) {
    String q = ClusterQueues.onEveryMaster(cluster).get(0);
    RedisServer master = cluster.masterFor("asynq:{" + q + "}:pending");
    RedisServer replica = replicaOf(cluster, master);
    io.jasynq.redis.RedisConnector.Builder b =
        io.jasynq.redis.RedisConnector.builder().topologyRefreshPeriod(Duration.ofMinutes(10));
    cluster.nodes().forEach(n -> b.clusterNode(RedisServer.HOST, n.port()));
    try (io.jasynq.redis.RedisConnector connector = b.build();
        Client client =
            Client.builder()
                .connector(connector)
                .waitForReplicas(1, Duration.ofSeconds(5))
                .build()) {
      client.enqueue(Task.of("t", "before"), TaskOption.queue(q));
      call(master, "CONFIG", "RESETSTAT");
      try (TestRedis onReplica = TestRedis.connect(replica.uri())) {
        onReplica.commands().clusterFailover(false); // the replica takes over; the master follows
      }
      Eventually.until(
          PATIENCE,
          "the manual failover is done and the old master is in sync as replica",
          () -> {
            String info = call(replica, "INFO", "replication");
            return info.contains("role:master")
                && info.contains("connected_slaves:1")
                && info.contains("state=online");
          });

      // This client's topology still names the old master: it answers MOVED, which is followed.
      TaskInfo info = client.enqueue(Task.of("t", "after"), TaskOption.queue(q));

      assertThat(call(master, "INFO", "errorstats")).contains("errorstat_MOVED");
      try (TestRedis onOldMaster = TestRedis.connect(master.uri())) {
        onOldMaster.commands().readOnly();
        assertThat(onOldMaster.commands().exists("asynq:{" + q + "}:t:" + info.id())).isEqualTo(1);
      }
    }
  }

  private static Client durableClient(RedisCluster cluster, Duration timeout) {
    return Client.builder().uri(ClusterQueues.uri(cluster)).waitForReplicas(1, timeout).build();
  }

  /** The running replica of {@code master}. */
  static RedisServer replicaOf(RedisCluster cluster, RedisServer master) {
    for (RedisServer n : cluster.nodes()) {
      if (n.isRunning() && !n.equals(master)) {
        String info = call(n, "INFO", "replication");
        if (info.contains("role:slave") && info.contains("master_port:" + master.port() + "\r\n")) {
          return n;
        }
      }
    }
    throw new IllegalStateException("no running replica of " + master);
  }

  private static String call(RedisServer node, String... command) {
    try (TestRedis r = TestRedis.connect(node.uri())) {
      return switch (command[0]) {
        case "INFO" -> r.commands().info(command[1]);
        case "CONFIG" -> r.commands().configResetstat();
        default -> throw new IllegalArgumentException("command " + command[0]);
      };
    }
  }
}
