package io.jasynq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.testkit.RedisCluster;
import io.jasynq.testkit.RedisClusterTest;
import io.jasynq.testkit.RedisServer;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shrunk {@code jasynq-cli.jar} on a Redis Cluster: Lettuce's cluster client, from the jar. */
@RedisClusterTest
class CliJarClusterIT {
  @TempDir Path home;

  @Test
  void enqueuesAndListsOnACluster(RedisCluster cluster) {
    String seeds =
        cluster.nodes().stream()
            .map(n -> RedisServer.HOST + ":" + n.port())
            .collect(Collectors.joining(","));
    JarCli jar = new JarCli(home);
    for (String q : new String[] {"alpha", "beta", "gamma"}) {
      JarCli.Result r = jar.run("task", "enqueue", "-t", "t", "--queue", q, "--cluster", seeds);
      assertThat(r.code()).as(r.toString()).isZero();
    }
    JarCli.Result ls = jar.run("queue", "ls", "--cluster", seeds);
    assertThat(ls.code()).as(ls.toString()).isZero();
    assertThat(ls.out()).contains("alpha").contains("beta").contains("gamma").contains("slot");
    JarCli.Result stats = jar.run("stats", "--cluster", seeds);
    assertThat(stats.code()).as(stats.toString()).isZero();
    assertThat(stats.out()).contains("Redis Cluster Info");
  }
}
