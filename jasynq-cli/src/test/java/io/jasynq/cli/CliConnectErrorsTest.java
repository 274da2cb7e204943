package io.jasynq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.testkit.RedisServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's one line for a failed connect names the real cause. */
class CliConnectErrorsTest {
  private static RedisServer secured;
  private static RedisServer plain;

  @TempDir Path home;

  @BeforeAll
  static void startServers() {
    secured = RedisServer.builder().password("cli-s3cret").start();
    plain = RedisServer.start();
  }

  @AfterAll
  static void stopServers() {
    if (secured != null) {
      secured.close();
    }
    if (plain != null) {
      plain.close();
    }
  }

  private Cli.Result failing(String... args) {
    Cli.Result r = Cli.in(home).run(args);
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines()).as(r.toString()).hasSize(1);
    assertThat(r.err()).doesNotContain("<unresolved>").doesNotEndWith("null\n");
    return r;
  }

  @Test
  void aMissingOrWrongPasswordSaysAuthenticationFailed() {
    String at = "127.0.0.1:" + secured.port();
    assertThat(failing("stats", "-u", at).err())
        .startsWith("jasynq: cannot connect to redis://" + at + "/0: authentication failed")
        .contains("NOAUTH");
    assertThat(failing("stats", "-u", at, "--password", "wrong").err())
        .startsWith("jasynq: cannot connect to redis://" + at + "/0: authentication failed")
        .contains("WRONGPASS")
        .doesNotContain("wrong\"");
    assertThat(Cli.in(home).run("queue", "ls", "-u", at, "-p", "cli-s3cret").code()).isZero();
  }

  @Test
  void aPlainRedisGivenAsASentinelIsNotASentinel() {
    assertThat(
            failing("stats", "-u", "redis-sentinel://127.0.0.1:" + plain.port() + "?master=x")
                .err())
        .contains("not a sentinel");
  }
}
