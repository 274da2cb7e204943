package io.jasynq.redis;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
