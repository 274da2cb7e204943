package io.jasynq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.testkit.RedisSentinel;
import io.jasynq.testkit.RedisSentinelTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shrunk {@code jasynq-cli.jar} through Sentinel: Lettuce's master discovery, from the jar. */
@RedisSentinelTest
class CliJarSentinelIT {
  @TempDir Path home;

  @Test
  void enqueuesAndReadsThroughTheSentinels(RedisSentinel sentinel) {
    String flag = Cli.sentinelFlag(sentinel);
    JarCli jar = new JarCli(home);
    JarCli.Result r = jar.run("task", "enqueue", "-t", "via:sentinel", "--sentinel", flag);
    assertThat(r.code()).as(r.toString()).isZero();
    r = jar.run("stats", "--uri", sentinel.uri());
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).containsPattern("pending +█{40} 1");
  }
}
