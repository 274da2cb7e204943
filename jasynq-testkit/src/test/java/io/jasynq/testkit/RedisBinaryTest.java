package io.jasynq.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RedisBinaryTest {
  @Test
  void locateFindsAWorkingBinaryAndReportsItsVersion() {
    RedisBinary binary = RedisBinary.locate();

    assertThat(binary.path()).isAbsolute().isExecutable();
    assertThat(binary.version()).matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(binary.source())
        .isIn(RedisBinary.SOURCE_CONFIGURED, RedisBinary.SOURCE_PATH, RedisBinary.SOURCE_EMBEDDED);
  }

  @Test
  void embeddedBinaryStartsAndAnswersPing() {
    RedisBinary embedded = RedisBinary.embedded();

    assertThat(embedded.source()).isEqualTo(RedisBinary.SOURCE_EMBEDDED);
    assertThat(embedded.version()).startsWith("6.2.");
    assertThat(RedisBinary.embedded().path()).isEqualTo(embedded.path());
    try (RedisServer server = RedisServer.builder().binary(embedded).start();
        TestRedis redis = TestRedis.connect(server.uri())) {
      assertThat(redis.commands().ping()).isEqualTo("PONG");
      assertThat(server.version()).startsWith("6.2.");
      assertThat(redis.commands().info("server")).contains("redis_version:6.2.");
    }
  }

  @Test
  void atUsesAnExplicitPath() {
    RedisBinary located = RedisBinary.locate();

    RedisBinary explicit = RedisBinary.at(located.path());

    assertThat(explicit.path()).isEqualTo(located.path());
    assertThat(explicit.version()).isEqualTo(located.version());
    assertThat(explicit.source()).isEqualTo(RedisBinary.SOURCE_CONFIGURED);
  }

  @Test
  void atRejectsAPathThatIsNotAnExecutable() {
    assertThatThrownBy(() -> RedisBinary.at(Path.of("/nonexistent/redis-server")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("/nonexistent/redis-server is not an executable file");
  }

  @Test
  void locateFailsClearlyWhenTheConfiguredPathDoesNotWork() {
    String previous = System.getProperty(RedisBinary.PATH_PROPERTY);
    System.setProperty(RedisBinary.PATH_PROPERTY, "/nonexistent/redis-server");
    try {
      assertThatThrownBy(RedisBinary::locate)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("system property jasynq.redis.server")
          .hasMessageContaining("/nonexistent/redis-server");
    } finally {
      if (previous == null) {
        System.clearProperty(RedisBinary.PATH_PROPERTY);
      } else {
        System.setProperty(RedisBinary.PATH_PROPERTY, previous);
      }
    }
  }
}
