package io.jasynq.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A TLS server answers on its TLS port to clients that trust its CA, and only to them. */
class RedisServerTlsTest {
  @TempDir Path dir;

  private static void assumeTls() {
    RedisBinary binary = RedisBinary.locate();
    assumeTrue(binary.supportsTls(), binary + " was built without TLS: skipping TLS tests");
  }

  @Test
  void aBinaryWithoutTlsIsReportedAndRefusedClearly() throws Exception {
    Path script = dir.resolve("redis-server");
    Files.writeString(
        script,
        "#!/bin/sh\n"
            + "if [ \"$1\" = --version ]; then echo 'Redis server v=7.0.0 sha=0'; exit 0; fi\n"
            + "echo '*** FATAL CONFIG FILE ERROR *** Bad directive or wrong number of arguments'\n"
            + "exit 1\n");
    assertThat(script.toFile().setExecutable(true)).isTrue();
    RedisBinary withoutTls = RedisBinary.at(script);

    assertThat(withoutTls.supportsTls()).isFalse();
    assertThatThrownBy(() -> RedisServer.builder().binary(withoutTls).tls().start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("was built without TLS");
  }

  @Test
  void answersOverTlsToClientsTrustingItsCa() throws Exception {
    assumeTls();
    try (RedisServer server = RedisServer.builder().tls().start()) {
      assertThat(server.isTls()).isTrue();
      assertThat(server.tlsPort()).isPositive().isNotEqualTo(server.port());
      assertThat(server.tlsUri()).isEqualTo("rediss://127.0.0.1:" + server.tlsPort());
      assertThat(server.tlsServerNames()).containsExactly("127.0.0.1", "localhost");
      assertThat(Files.readString(server.caCertificate()))
          .startsWith("-----BEGIN CERTIFICATE-----");
      assertThat(ping(server.tlsUri(), server.caCertificate(), SslVerifyMode.FULL))
          .isEqualTo("PONG");
      assertThat(server.toString()).contains("tls " + server.tlsPort());
    }
  }

  @Test
  void refusesClientsTrustingAnotherCaOrExpectingAnotherName() {
    assumeTls();
    try (RedisServer server = RedisServer.builder().tls().start();
        RedisServer other = RedisServer.builder().tlsServerNames("redis.test").start()) {
      assertThatThrownBy(
              () -> ping(server.tlsUri(), server.wrongCaCertificate(), SslVerifyMode.FULL))
          .isInstanceOf(RedisConnectionException.class);
      assertThatThrownBy(() -> ping(other.tlsUri(), other.caCertificate(), SslVerifyMode.FULL))
          .isInstanceOf(RedisConnectionException.class);
      assertThat(ping(other.tlsUri(), other.caCertificate(), SslVerifyMode.CA)).isEqualTo("PONG");
    }
  }

  @Test
  void restartKeepsTheTlsPort() {
    assumeTls();
    try (RedisServer server = RedisServer.builder().tls().start()) {
      int tlsPort = server.tlsPort();
      server.restart();
      assertThat(server.tlsPort()).isEqualTo(tlsPort);
      assertThat(ping(server.tlsUri(), server.caCertificate(), SslVerifyMode.FULL))
          .isEqualTo("PONG");
    }
  }

  @Test
  void plainServersHaveNoTlsAccessors() {
    try (RedisServer server = RedisServer.start()) {
      assertThat(server.isTls()).isFalse();
      assertThatThrownBy(server::tlsUri)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("RedisServer.builder().tls()");
    }
  }

  private static String ping(String uri, Path ca, SslVerifyMode mode) {
    RedisURI redisUri = RedisURI.create(uri);
    redisUri.setVerifyPeer(mode);
    redisUri.setTimeout(Duration.ofSeconds(5));
    RedisClient client = RedisClient.create(redisUri);
    try {
      client.setOptions(
          ClientOptions.builder()
              .sslOptions(SslOptions.builder().trustManager(ca.toFile()).build())
              .build());
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        return connection.sync().ping();
      }
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
