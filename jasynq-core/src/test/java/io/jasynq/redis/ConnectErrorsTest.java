package io.jasynq.redis;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.JasynqException;
import io.jasynq.testkit.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A failed connect names its real cause in one line: a refused password, a plain Redis given as a
 * sentinel, a closed port (without Netty's {@code <unresolved>}).
 */
class ConnectErrorsTest {
  private static final String PASSWORD = "s3cret-pass";
  private static RedisServer secured;
  private static RedisServer plain;

  @BeforeAll
  static void startServers() {
    secured = RedisServer.builder().password(PASSWORD).start();
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

  private static RedisConnector connector(String uri) {
    return RedisConnector.builder()
        .uri(uri)
        .connectTimeout(Duration.ofSeconds(5))
        .commandTimeout(Duration.ofSeconds(5))
        .build();
  }

  @Test
  void aMissingPasswordSaysAuthenticationFailed() {
    try (RedisConnector redis = connector("redis://127.0.0.1:" + secured.port())) {
      assertThatThrownBy(() -> Client.create(redis).close())
          .isInstanceOf(JasynqException.class)
          .hasMessageStartingWith("cannot connect to redis://127.0.0.1:" + secured.port())
          .hasMessageContaining("authentication failed")
          .hasMessageContaining("NOAUTH")
          .hasMessageNotContaining("<unresolved>");
    }
  }

  @Test
  void aWrongPasswordSaysAuthenticationFailed() {
    try (RedisConnector redis =
        connector("redis://:not-the-password@127.0.0.1:" + secured.port())) {
      assertThatThrownBy(() -> Inspector.create(redis).queues())
          .isInstanceOf(JasynqException.class)
          .hasMessageContaining("authentication failed")
          .hasMessageContaining("WRONGPASS")
          .hasMessageNotContaining("not-the-password");
    }
  }

  @Test
  void aPlainRedisGivenAsASentinelIsNotASentinel() {
    try (RedisConnector redis =
        connector("redis-sentinel://127.0.0.1:" + plain.port() + "?master=x")) {
      assertThatThrownBy(() -> Client.create(redis).close())
          .isInstanceOf(JasynqException.class)
          .hasMessageContaining("not a sentinel")
          .hasMessageNotContaining(": null");
    }
  }

  @Test
  void aClosedPortSaysConnectionRefusedWithoutUnresolved() {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (RedisConnector redis = connector("redis://127.0.0.1:" + port)) {
      assertThatThrownBy(() -> Client.create(redis).close())
          .isInstanceOf(JasynqException.class)
          .hasMessageStartingWith("cannot connect to redis://127.0.0.1:" + port)
          .hasMessageContaining("Unable to connect to 127.0.0.1:" + port)
          .hasMessageContaining("Connection refused")
          .hasMessageNotContaining("<unresolved>");
    }
  }
}
