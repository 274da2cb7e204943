package io.jasynq.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;

/** Boot's connection details that the starter refuses name the property to blame. */
class DataRedisDetailsTest {
  @Test
  void aBundleThatBootCannotFindIsNamedWithItsProperty() {
    DataRedisConnectionDetails details =
        new DataRedisConnectionDetails() {
          @Override
          public SslBundle getSslBundle() {
            throw new NoSuchSslBundleException("nope", "SSL bundle name 'nope' cannot be found");
          }
        };
    assertThatThrownBy(() -> DataRedisDetails.settings(details, null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("spring.data.redis.ssl.bundle=nope names no SSL bundle");
  }

  @Test
  void aRedissUrlTurnsTlsOnWithoutSslEnabledAsInBoot() {
    DataRedisConnectionDetails details =
        new DataRedisConnectionDetails() {
          @Override
          public Standalone getStandalone() {
            return Standalone.of("redis.example", 6380);
          }
        };
    assertThat(DataRedisDetails.settings(details, "rediss://redis.example:6380").ssl()).isTrue();
    assertThat(DataRedisDetails.settings(details, " REDISS://redis.example:6380").ssl()).isTrue();
    assertThat(DataRedisDetails.settings(details, "redis://redis.example:6380").ssl()).isFalse();
    assertThat(DataRedisDetails.settings(details, null).ssl()).isFalse();
  }
}
