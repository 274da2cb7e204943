package io.jasynq.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.TaskOption;
import io.jasynq.redis.RedisConnector;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.Leaks;
import io.jasynq.testkit.RedisSentinel;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Connections leave a master the sentinels replaced: at once on {@code +switch-master}, and on the
 * first READONLY reply where no watch runs (a borrowed connection), retrying the refused write on
 * the new master. Each test starts its own topology (Sentinel refuses a second failover for 10 s).
 */
@Tag("topology")
class SentinelFollowTest {
  @Test
  void leavesTheOldMasterAsSoonAsTheSentinelsSwitch() {
    Set<Thread> threads = Leaks.jasynqThreads();
    try (RedisSentinel sentinel = RedisSentinel.start();
        RedisClient lettuce = RedisClient.create();
        RedisConnector connector = RedisConnector.borrow(lettuce, RedisURI.create(sentinel.uri()));
        Client client = Client.create(connector)) {
      client.enqueue(Task.of("t", "before"), TaskOption.taskId("before"));
      RedisServer oldMaster = sentinel.master();
      RedisServer newMaster = sentinel.failover();
      try (TestRedis oldNode = TestRedis.connect(oldMaster.uri());
          TestRedis newNode = TestRedis.connect(newMaster.uri())) {
        int[] n = {0};
        Eventually.until(
            Duration.ofSeconds(30),
            "an enqueue lands on the new master",
            () -> {
              String id = "after-" + n[0]++;
              client.enqueue(Task.of("t", id), TaskOption.taskId(id));
              return newNode.commands().exists("asynq:{default}:t:" + id) == 1;
            });
        // It did so before the sentinels demoted the old master (about 10 s after the promotion):
        // writes did not keep going to a master that would discard them.
        assertThat(FailoverChecks.role(oldNode)).isEqualTo("master");
      }
    }
    Leaks.awaitNoNewJasynqThreads(threads, Duration.ofSeconds(10));
  }

  @Test
  void aWriteRefusedWithReadonlyIsRetriedOnTheNewMaster() {
    Set<Thread> threads = Leaks.jasynqThreads();
    try (RedisSentinel sentinel = RedisSentinel.start();
        RedisClient lettuce = RedisClient.create(sentinel.uri());
        StatefulRedisConnection<String, String> own = lettuce.connect();
        RedisConnector connector = RedisConnector.borrow(own);
        Client client = Client.create(connector)) {
      client.enqueue(Task.of("t", "before"), TaskOption.taskId("before"));
      RedisServer oldMaster = sentinel.master();
      RedisServer newMaster = sentinel.failover();
      try (TestRedis oldNode = TestRedis.connect(oldMaster.uri());
          TestRedis newNode = TestRedis.connect(newMaster.uri())) {
        // A borrowed connection has no sentinel watch: it is still on the old master. Demote that
        // now, as the sentinels would some seconds later, but without their CLIENT KILL, so that
        // the connection stays and its next write is answered READONLY.
        oldNode.commands().replicaof(newMaster.host(), newMaster.port());
        Eventually.until(
            Duration.ofSeconds(30),
            "the old master is demoted",
            () -> FailoverChecks.role(oldNode).equals("slave"));

        TaskInfo info = client.enqueue(Task.of("t", "refused"), TaskOption.taskId("refused"));

        assertThat(info.id()).isEqualTo("refused");
        assertThat(oldNode.commands().info("errorstats")).contains("errorstat_READONLY");
        assertThat(newNode.commands().exists("asynq:{default}:t:refused")).isEqualTo(1);
        // The caller's connection was moved, not closed: it now talks to the new master.
        assertThat(own.isOpen()).isTrue();
        assertThat(own.sync().info("replication")).contains("role:master");
      }
    }
    Leaks.awaitNoNewJasynqThreads(threads, Duration.ofSeconds(10));
  }
}
