package io.jasynq.tls;

import static io.jasynq.tls.TlsChecks.roundTrip;
import static io.jasynq.tls.TlsChecks.tls;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.JasynqException;
import io.jasynq.redis.RedisConnector;
import io.jasynq.testkit.RedisBinary;
import io.jasynq.testkit.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Client, Server and Inspector over {@code rediss://} against a real TLS redis-server whose
 * certificate a throwaway CA signed: verified with the CA, unverified when insecure, and refused
 * with a message that says why for a wrong CA and a wrong host name.
 */
class TlsTest {
  private static final String PASSWORD = "tls-s3cret";
  private static RedisServer server;
  private static RedisServer otherName;

  @BeforeAll
  static void startServers() {
    RedisBinary binary = TlsChecks.tlsBinary();
    server = RedisServer.builder().binary(binary).password(PASSWORD).tls().start();
    otherName =
        RedisServer.builder()
            .binary(binary)
            .password(PASSWORD)
            .tlsServerNames("redis.test")
            .start();
  }

  @AfterAll
  static void stopServers() {
    if (otherName != null) {
      otherName.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void enqueuesProcessesAndInspectsOverVerifiedTls() {
    try (RedisConnector redis = tls(server).tlsCaFile(server.caCertificate()).build()) {
      roundTrip(redis, "verified");
    }
  }

  @Test
  void insecureTrustsAnyCertificate() {
    try (RedisConnector redis = tls(otherName).verifyPeer(false).build()) {
      roundTrip(redis, "insecure");
    }
  }

  @Test
  void tlsServerNameVerifiesTheNameInTheCertificate() {
    try (RedisConnector redis =
            tls(otherName)
                .tlsCaFile(otherName.caCertificate())
                .tlsServerName("redis.test")
                .build();
        Client client = Client.create(redis)) {
      client.ping();
    }
  }

  @Test
  void aWrongCaFailsSayingTheCertificateIsNotTrusted() {
    try (RedisConnector redis = tls(server).tlsCaFile(server.wrongCaCertificate()).build()) {
      assertThatThrownBy(() -> Client.create(redis))
          .isInstanceOf(JasynqException.class)
          .hasMessageContaining("TLS handshake with 127.0.0.1:" + server.tlsPort())
          .hasMessageContaining("not signed by a trusted CA")
          .message()
          .doesNotContain(PASSWORD);
    }
  }

  @Test
  void noCaFailsLikeAWrongCa() {
    try (RedisConnector redis = tls(server).build()) {
      assertThatThrownBy(() -> Inspector.create(redis))
          .isInstanceOf(JasynqException.class)
          .hasMessageContaining("not signed by a trusted CA");
    }
  }

  @Test
  void aCertificateForAnotherHostFailsNamingTheHost() {
    try (RedisConnector redis = tls(otherName).tlsCaFile(otherName.caCertificate()).build()) {
      assertThatThrownBy(() -> Client.create(redis))
          .isInstanceOf(JasynqException.class)
          .hasMessageContaining("TLS handshake with 127.0.0.1:" + otherName.tlsPort())
          .hasMessageContaining("does not match the host name 127.0.0.1")
          .message()
          .doesNotContain(PASSWORD);
    }
  }

  @Test
  void aWrongServerNameFails() {
    try (RedisConnector redis =
        tls(otherName).tlsCaFile(otherName.caCertificate()).tlsServerName("other.test").build()) {
      assertThatThrownBy(() -> Client.create(redis))
          .isInstanceOf(JasynqException.class)
          .hasMessageContaining("does not match the host name");
    }
  }

  @Test
  void aPlainPortFailsSayingItDoesNotSpeakTls() {
    try (RedisConnector redis =
        RedisConnector.builder()
            .uri("rediss://127.0.0.1:" + server.port())
            .verifyPeer(false)
            .connectTimeout(Duration.ofSeconds(1))
            .build()) {
      assertThatThrownBy(() -> Client.create(redis))
          .isInstanceOf(JasynqException.class)
          .hasMessageContaining("TLS handshake with 127.0.0.1:" + server.port())
          .hasMessageContaining("did not answer the TLS handshake")
          // bounded by the connect timeout (1 s here), not Lettuce's 10 s handshake default
          .hasMessageContaining("handshake timed out after 1000ms");
    }
  }
}
