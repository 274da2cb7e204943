package io.jasynq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jasynq.testkit.RedisCluster;
import io.jasynq.testkit.RedisClusterTest;
import io.jasynq.testkit.RedisServer;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --cluster}, {@code --cluster_addrs}, the config file's {@code cluster: true} and {@code
 * redis-cluster://} URIs reach a Redis Cluster; {@code stats} shows CLUSTER INFO and each master,
 * {@code queue ls} each queue's key slot and nodes.
 */
@RedisClusterTest
class ClusterCliTest {
  @TempDir Path home;

  private static String seeds(RedisCluster cluster) {
    return cluster.nodes().stream()
        .map(n -> RedisServer.HOST + ":" + n.port())
        .collect(Collectors.joining(","));
  }

  @Test
  void clusterFlagEnqueuesListsSlotsAndNodesAndShowsClusterInfo(RedisCluster cluster) {
    String seeds = seeds(cluster);
    Cli cli = Cli.in(home);
    for (String q : new String[] {"alpha", "beta", "gamma"}) {
      Cli.Result r = cli.run("task", "enqueue", "-t", "t", "--queue", q, "--cluster", seeds);
      assertThat(r.code()).as(r.toString()).isZero();
    }
    Cli.Result r = cli.run("queue", "ls", "--cluster", "--cluster_addrs", seeds);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.lines().get(0)).matches("queue +state +size +pending +latency +slot +nodes");
    for (String q : new String[] {"alpha", "beta", "gamma"}) {
      RedisServer master = cluster.masterFor("asynq:{" + q + "}:pending");
      assertThat(r.out())
          .containsPattern(
              q + " +run +1 +1 +\\S+ +\\d+ +" + RedisServer.HOST + ":" + master.port() + "\\b");
    }
    JsonNode json = cli.run("queue", "ls", "--json", "--cluster", seeds).json();
    assertThat(json).hasSize(3);
    assertThat(json.get(0).get("queue").asText()).isEqualTo("alpha");
    assertThat(json.get(0).get("slot").asLong()).isBetween(0L, 16383L);
    assertThat(json.get(0).get("nodes").get(0).asText())
        .isEqualTo(RedisServer.HOST + ":" + cluster.masterFor("asynq:{alpha}:pending").port());

    r = cli.run("stats", "--cluster", seeds);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .containsPattern("pending +█{40} 3")
        .contains("Redis Cluster Info")
        .containsPattern("\nok +\\d+ +3 +16384 +16384 +0\n")
        .containsPattern("master +version +uptime +connections +memory used +peak memory");
    for (RedisServer master : cluster.masters()) {
      assertThat(r.out()).containsPattern(RedisServer.HOST + ":" + master.port() + " +\\d+\\.");
    }
    JsonNode redis = cli.run("stats", "--json", "--cluster", seeds).json().get("redis");
    assertThat(redis.get("cluster").asBoolean()).isTrue();
    assertThat(redis.get("cluster_info").get("cluster_state").asText()).isEqualTo("ok");
    assertThat(redis.get("masters")).hasSize(3);

    r = cli.run("queue", "rm", "beta", "--force", "--cluster", seeds);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(cli.run("queue", "ls", "--json", "--cluster", seeds).json()).hasSize(2);
  }

  @Test
  void configFileAndClusterUriReachTheClusterTooAndDbIsIgnored(RedisCluster cluster) {
    String seeds = seeds(cluster);
    Cli cli = Cli.in(home);
    Path file = cli.write("c.yaml", "cluster: true\ncluster_addrs: " + seeds + "\ndb: 3\n");
    Cli.Result r = cli.run("task", "enqueue", "-t", "t", "--config", file.toString());
    assertThat(r.code()).as(r.toString()).isZero();
    r = cli.run("queue", "ls", "--uri", "redis-cluster://" + seeds);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).containsPattern("default +run +1 +1 +\\S+ +\\d+ +127\\.0\\.0\\.1:\\d+");
    r = cli.run("queue", "ls", "-n", "2", "--cluster", seeds);
    assertThat(r.code()).as(r.toString()).isZero();
  }
}
