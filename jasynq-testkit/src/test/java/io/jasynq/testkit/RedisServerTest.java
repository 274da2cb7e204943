package io.jasynq.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.embedded.Resp;
import io.lettuce.core.RedisConnectionException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class RedisServerTest {
  @Test
  void startsAnswersPingAndStops() {
    try (RedisServer server = RedisServer.start()) {
      assertThat(server.isRunning()).isTrue();
      assertThat(server.host()).isEqualTo("127.0.0.1");
      assertThat(server.port()).isPositive().isNotEqualTo(6379);
      assertThat(server.uri()).isEqualTo("redis://127.0.0.1:" + server.port());
      assertThat(server.version()).isEqualTo(server.binary().version());
      assertThat(ping(server)).isEqualTo("PONG");

      server.stop();

      assertThat(server.isRunning()).isFalse();
      assertThat(Resp.answersAs(server.port(), null, -1)).isFalse();
    }
  }

  @Test
  void twoServersAtOnceGetDifferentPorts() {
    try (RedisServer first = RedisServer.start();
        RedisServer second = RedisServer.start()) {
      assertThat(first.port()).isNotEqualTo(second.port());
      assertThat(ping(first)).isEqualTo("PONG");
      assertThat(ping(second)).isEqualTo("PONG");
    }
  }

  @Test
  void restartKeepsThePortAndAnswersAgain() {
    try (RedisServer server = RedisServer.start();
        TestRedis redis = TestRedis.connect(server.uri())) {
      int port = server.port();
      redis.commands().set("k", "v".getBytes());

      server.stop();
      server.restart();

      assertThat(server.port()).isEqualTo(port);
      assertThat(server.isRunning()).isTrue();
      assertThat(redis.commands().ping()).isEqualTo("PONG");
      assertThat(redis.get("k")).as("persistence is off").isNull();
    }
  }

  @Test
  void killLeavesTheServerNotRunningUntilRestarted() {
    try (RedisServer server = RedisServer.start();
        TestRedis redis = TestRedis.connect(server.uri())) {
      server.kill();

      assertThat(server.isRunning()).isFalse();
      assertThat(server.toString()).contains(":" + server.port()).contains("STOPPED");

      server.restart();

      assertThat(server.isRunning()).isTrue();
      assertThat(redis.commands().ping()).isEqualTo("PONG");
      assertThat(server.toString()).contains("RUNNING");
    }
  }

  @Test
  void closeIsIdempotentAndDeletesItsDirectory() {
    RedisServer server = RedisServer.start();

    server.close();
    server.close();

    assertThat(server.isRunning()).isFalse();
    assertThat(Files.exists(server.directory())).isFalse();
    assertThat(server.toString()).contains("CLOSED");
    assertThatThrownBy(server::restart)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void passwordIsRequiredAndCarriedInTheUri() {
    try (RedisServer server = RedisServer.builder().password("p@ss:w rd").start()) {
      assertThat(server.uri()).isEqualTo("redis://:p%40ss%3Aw%20rd@127.0.0.1:" + server.port());
      try (TestRedis redis = TestRedis.connect(server.uri())) {
        assertThat(redis.commands().ping()).isEqualTo("PONG");
      }
      assertThatThrownBy(() -> TestRedis.connect("redis://127.0.0.1:" + server.port()))
          .isInstanceOf(RedisConnectionException.class)
          .rootCause()
          .hasMessageContaining("NOAUTH");
    }
  }

  @Test
  void extraConfigIsApplied() {
    try (RedisServer server =
            RedisServer.builder().config("maxmemory", "10mb").config("save", "900 1").start();
        TestRedis redis = TestRedis.connect(server.uri())) {
      assertThat(redis.commands().configGet("maxmemory")).containsEntry("maxmemory", "10485760");
      assertThat(redis.commands().configGet("save")).containsEntry("save", "900 1");
      assertThat(redis.commands().configGet("appendonly")).containsEntry("appendonly", "no");
    }
  }

  @Test
  void bindsAFixedPortOrFailsIfItIsTaken() {
    try (RedisServer first = RedisServer.start()) {
      int port = first.port();
      first.stop();
      try (RedisServer fixed = RedisServer.builder().port(port).start()) {
        assertThat(fixed.port()).isEqualTo(port);

        assertThatThrownBy(() -> RedisServer.builder().port(port).start())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("port " + port + " is in use")
            .hasMessageContaining("Address already in use");
      }
    }
  }

  @Test
  void startFailureReportsTheLogTail() {
    assertThatThrownBy(() -> RedisServer.builder().config("maxmemory", "lots").start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("redis-server exited with code")
        .hasMessageContaining("maxmemory");
  }

  @Test
  void builderRejectsBadValuesNamingThem() {
    RedisServer.Builder builder = RedisServer.builder();

    assertThatThrownBy(() -> builder.port(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be between 0 and 65535, was -1");
    assertThatThrownBy(() -> builder.port(65536)).hasMessageContaining("was 65536");
    assertThatThrownBy(() -> builder.password(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("password must not be empty");
    assertThatThrownBy(() -> builder.password(null)).hasMessage("password == null");
    assertThatThrownBy(() -> builder.config("Port", "1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Port' is managed by the testkit");
    assertThatThrownBy(() -> builder.config("--maxmemory", "1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was '--maxmemory'");
    assertThatThrownBy(() -> builder.config("maxmemory", null)).hasMessage("value == null");
  }

  @Test
  void builderIsImmutable() {
    RedisServer.Builder base = RedisServer.builder();

    RedisServer.Builder withPort = base.port(1234);

    assertThat(withPort).isNotSameAs(base);
    try (RedisServer server = base.start()) {
      assertThat(server.port()).isNotEqualTo(1234);
    }
  }

  private static String ping(RedisServer server) {
    try (TestRedis redis = TestRedis.connect(server.uri())) {
      return redis.commands().ping();
    }
  }
}
