package io.jasynq.internal.connection;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.redis.RedisConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS options are checked when the connector is built, naming the bad value. */
class TlsSettingsTest {
  @TempDir Path dir;

  @Test
  void aCaFileWithoutTlsIsRejected() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.crt"), "x");
    assertThatThrownBy(() -> RedisConnector.builder().uri("redis://h:1").tlsCaFile(ca).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tlsCaFile " + ca + " needs TLS");
  }

  @Test
  void aServerNameWithoutTlsIsRejected() {
    assertThatThrownBy(
            () -> RedisConnector.builder().uri("redis://h:1").tlsServerName("redis.test").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tlsServerName \"redis.test\" needs TLS");
  }

  @Test
  void aMissingCaFileIsNamed() {
    Path missing = dir.resolve("missing.crt");
    assertThatThrownBy(
            () -> RedisConnector.builder().uri("rediss://h:1").tlsCaFile(missing).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tlsCaFile " + missing + " is not a readable file");
  }

  @Test
  void aCaFileWithoutCertificatesIsNamed() throws Exception {
    Path notPem = Files.writeString(dir.resolve("ca.crt"), "not a certificate\n");
    assertThatThrownBy(() -> RedisConnector.builder().uri("rediss://h:1").tlsCaFile(notPem).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tlsCaFile " + notPem)
        .hasMessageContaining("-----BEGIN CERTIFICATE-----");
  }

  @Test
  void aBlankServerNameIsRejected() {
    assertThatThrownBy(() -> RedisConnector.builder().tlsServerName(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tlsServerName must not be blank");
  }

  private static TrustManagerFactory initializedTrust() throws Exception {
    TrustManagerFactory f =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init((java.security.KeyStore) null);
    return f;
  }

  private static KeyManagerFactory initializedKeys() throws Exception {
    KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    f.init(null, null);
    return f;
  }

  @Test
  void aTrustManagerFactoryWithoutTlsIsRejected() throws Exception {
    TrustManagerFactory trust = initializedTrust();
    assertThatThrownBy(
            () -> RedisConnector.builder().uri("redis://h:1").tlsTrustManagerFactory(trust).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tlsTrustManagerFactory needs TLS: use a rediss:// URI or tls(true)");
  }

  @Test
  void aKeyManagerFactoryWithoutTlsIsRejected() throws Exception {
    KeyManagerFactory keys = initializedKeys();
    assertThatThrownBy(
            () -> RedisConnector.builder().uri("redis://h:1").tlsKeyManagerFactory(keys).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tlsKeyManagerFactory needs TLS: use a rediss:// URI or tls(true)");
  }

  @Test
  void aCaFileAndATrustManagerFactoryTogetherAreRejected() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.crt"), "x");
    TrustManagerFactory trust = initializedTrust();
    assertThatThrownBy(
            () ->
                RedisConnector.builder()
                    .uri("rediss://h:1")
                    .tlsCaFile(ca)
                    .tlsTrustManagerFactory(trust)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "use either tlsCaFile or tlsTrustManagerFactory, not both; tlsCaFile was " + ca);
  }

  @Test
  void aTrustManagerFactoryWithVerificationOffIsRejected() throws Exception {
    TrustManagerFactory trust = initializedTrust();
    assertThatThrownBy(
            () ->
                RedisConnector.builder()
                    .uri("rediss://h:1")
                    .verifyPeer(false)
                    .tlsTrustManagerFactory(trust)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tlsTrustManagerFactory is never asked with verifyPeer(false)");
  }

  @Test
  void uninitializedFactoriesAreNamed() throws Exception {
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    assertThatThrownBy(
            () ->
                RedisConnector.builder().uri("rediss://h:1").tlsTrustManagerFactory(trust).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tlsTrustManagerFactory is not initialized: call init(KeyStore) first");
    assertThatThrownBy(
            () -> RedisConnector.builder().uri("rediss://h:1").tlsKeyManagerFactory(keys).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tlsKeyManagerFactory is not initialized: call init(KeyStore, char[]) first");
  }

  @Test
  void initializedFactoriesBuild() throws Exception {
    RedisConnector.builder()
        .uri("rediss://h:1")
        .tlsTrustManagerFactory(initializedTrust())
        .tlsKeyManagerFactory(initializedKeys())
        .build()
        .close();
  }
}
