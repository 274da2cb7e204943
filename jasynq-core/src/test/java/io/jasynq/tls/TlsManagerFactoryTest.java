package io.jasynq.tls;

import static io.jasynq.tls.TlsChecks.roundTrip;
import static io.jasynq.tls.TlsChecks.tls;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.Client;
import io.jasynq.JasynqException;
import io.jasynq.redis.RedisConnector;
import io.jasynq.testkit.RedisBinary;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.TestCertificateAuthority;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS trust and client certificates given as JSSE manager factories ({@code
 * tlsTrustManagerFactory}, {@code tlsKeyManagerFactory}) against a real TLS redis-server, one of
 * them requiring client certificates ({@code tls-auth-clients yes}).
 */
class TlsManagerFactoryTest {
  private static final char[] KEY_PASSWORD = "k".toCharArray();
  @TempDir static Path dir;
  private static TestCertificateAuthority ca;
  private static RedisServer server;
  private static RedisServer mutual;

  @BeforeAll
  static void startServers() {
    RedisBinary binary = TlsChecks.tlsBinary();
    ca = TestCertificateAuthority.create();
    server = RedisServer.builder().binary(binary).tls(ca).start();
    mutual = RedisServer.builder().binary(binary).tls(ca).start();
    RedisClient admin = RedisClient.create(mutual.uri());
    try (StatefulRedisConnection<String, String> c = admin.connect()) {
      c.sync().configSet("tls-auth-clients", "yes");
    } finally {
      admin.shutdown();
    }
  }

  @AfterAll
  static void stopServers() {
    if (mutual != null) {
      mutual.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void trustManagerFactoryVerifiesTheServer() throws Exception {
    try (RedisConnector redis = tls(server).tlsTrustManagerFactory(trust(ca)).build()) {
      roundTrip(redis, "trusted");
    }
  }

  @Test
  void trustManagerFactoryOfAnotherCaFailsSayingTheCertificateIsNotTrusted() throws Exception {
    try (RedisConnector redis =
        tls(server).tlsTrustManagerFactory(trust(TestCertificateAuthority.create())).build()) {
      assertThatThrownBy(() -> Client.create(redis))
          .isInstanceOf(JasynqException.class)
          .hasMessageContaining("not signed by a trusted CA");
    }
  }

  @Test
  void keyManagerFactoryPresentsTheClientCertificateToAServerThatRequiresOne() throws Exception {
    try (RedisConnector redis =
        tls(mutual)
            .tlsTrustManagerFactory(trust(ca))
            .tlsKeyManagerFactory(keys(ca, "jasynq-client"))
            .build()) {
      roundTrip(redis, "mutual");
    }
  }

  @Test
  void withoutAClientCertificateAServerThatRequiresOneRefuses() throws Exception {
    try (RedisConnector redis = tls(mutual).tlsTrustManagerFactory(trust(ca)).build()) {
      assertThatThrownBy(
              () -> {
                try (Client client = Client.create(redis)) {
                  client.ping();
                }
              })
          .isInstanceOf(JasynqException.class);
    }
  }

  @Test
  void keyManagerFactoryWorksWithACaFile() throws Exception {
    try (RedisConnector redis =
        tls(mutual)
            .tlsCaFile(mutual.caCertificate())
            .tlsKeyManagerFactory(keys(ca, "jasynq-client"))
            .build()) {
      roundTrip(redis, "ca-file");
    }
  }

  /** A trust manager factory trusting only {@code authority}. */
  static TrustManagerFactory trust(TestCertificateAuthority authority) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("ca", certificate(authority.writeCertificate(newFile("ca.crt"))));
    TrustManagerFactory f =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(store);
    return f;
  }

  /** A key manager factory holding a fresh certificate for {@code name} signed by {@code ca}. */
  static KeyManagerFactory keys(TestCertificateAuthority authority, String name) throws Exception {
    Path cert = newFile("client.crt");
    Path key = newFile("client.key");
    authority.issue(List.of(name), cert, key);
    String pem = Files.readString(key).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PrivateKey privateKey =
        KeyFactory.getInstance("EC")
            .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("client", privateKey, KEY_PASSWORD, new Certificate[] {certificate(cert)});
    KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    f.init(store, KEY_PASSWORD);
    return f;
  }

  private static Certificate certificate(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static Path newFile(String name) throws Exception {
    return Files.createTempFile(dir, null, name);
  }
}
