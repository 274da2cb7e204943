package io.jasynq.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One standalone server: start on a free port, answer, restart on the same port, close. */
class RedisProcessTest {
  @Test
  void startsOnAFreeLoopbackPortAnswersAndCleansUpOnClose() throws IOException {
    RedisProcess redis = RedisProcess.builder().password("p w").start();
    try {
      assertThat(redis.isRunning()).isTrue();
      assertThat(redis.uri()).isEqualTo("redis://:p%20w@127.0.0.1:" + redis.port());
      assertThat(Resp.answersAs(redis.port(), "p w", redis.pid())).isTrue();
      assertThat(redis.toString()).contains("RUNNING").contains(redis.version());
    } finally {
      redis.close();
    }
    assertThat(redis.isRunning()).isFalse();
    assertThat(redis.status()).isEqualTo("CLOSED");
    assertThat(Files.exists(redis.directory())).isFalse();
    assertThatThrownBy(redis::restart).hasMessageContaining("it is closed");
  }

  @Test
  void restartsOnTheSamePortAfterAStopOrAKill() {
    try (RedisProcess redis = RedisProcess.builder().config("maxmemory", "10mb").start()) {
      int port = redis.port();
      redis.kill();
      assertThat(redis.isRunning()).isFalse();
      assertThat(redis.status()).isEqualTo("STOPPED");
      redis.restart();
      assertThat(redis.port()).isEqualTo(port);
      assertThat(Resp.answersAs(port, null, redis.pid())).isTrue();
    }
  }

  @Test
  void builderRejectsManagedDirectivesAndBadGraces() {
    assertThatThrownBy(() -> RedisProcess.builder().config("port", "1"))
        .hasMessageContaining("'port' is managed by the embedded Redis");
    assertThatThrownBy(() -> RedisProcess.builder().exitGrace(Duration.ofMinutes(2)))
        .hasMessageContaining("PT2M");
  }
}
