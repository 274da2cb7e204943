package io.jasynq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.testkit.RedisSentinel;
import io.jasynq.testkit.RedisSentinelTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --sentinel master@host:port,...} and sentinel URIs reach the master. */
@RedisSentinelTest
class SentinelCliTest {
  @TempDir Path home;

  @Test
  void enqueuesAndReadsThroughTheSentinels(RedisSentinel sentinel) {
    String flag = Cli.sentinelFlag(sentinel);
    Cli cli = Cli.in(home);
    Cli.Result r = cli.run("task", "enqueue", "-t", "via:sentinel", "--sentinel", flag);
    assertThat(r.code()).as(r.toString()).isZero();
    r = cli.run("queue", "ls", "--json", "--sentinel", flag);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.json().get(0).get("pending").asLong()).isEqualTo(1);
    r = cli.run("stats", "--uri", sentinel.uri());
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).containsPattern("pending +█{40} 1");
  }
}
