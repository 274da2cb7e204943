package io.jasynq.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.redis.RedisConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * URI forms of wire-format §8.1, with jasynq's fixes: usernames kept, port defaulted, clear errors.
 */
class RedisUrisTest {
  @Test
  void parsesUserPasswordHostPortAndDatabase() {
    RedisUris.Parsed p = RedisUris.parse("redis://alice:s%40cret@redis.example:6380/3");
    assertThat(p.host()).isEqualTo("redis.example");
    assertThat(p.port()).isEqualTo(6380);
    assertThat(p.username()).isEqualTo("alice");
    assertThat(new String(p.password())).isEqualTo("s@cret");
    assertThat(p.database()).isEqualTo(3);
    assertThat(p.tls()).isFalse();
    try (RedisConnector c = RedisConnector.create("redis://alice:s%40cret@redis.example:6380/3")) {
      assertThat(c.toString()).isEqualTo("RedisConnector[redis://alice@redis.example:6380/3]");
    }
  }

  @Test
  void passwordWithoutUserAndDefaults() {
    RedisUris.Parsed p = RedisUris.parse("rediss://:pw@host");
    assertThat(p.username()).isNull();
    assertThat(new String(p.password())).isEqualTo("pw");
    assertThat(p.port()).isEqualTo(6379);
    assertThat(p.database()).isZero();
    assertThat(p.tls()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1:6390,127.0.0.1,6390",
    "localhost,localhost,6379",
    "redis://[::1]:7000/,::1,7000"
  })
  void acceptsBareHostPortAndTrailingSlash(String uri, String host, int port) {
    RedisUris.Parsed p = RedisUris.parse(uri);
    assertThat(p.host()).isEqualTo(host);
    assertThat(p.port()).isEqualTo(port);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "http://host:6379|unsupported scheme \"http\"",
        "redis://host:6379/x|database must be a number, was \"x\"",
        "redis://secret@host|user info has no ':'",
        "redis://host?timeout=5|query parameters",
        "redis://:p@|no host",
        "'   '|must not be blank"
      })
  void rejectsWithAReason(String uri, String reason) {
    assertThatThrownBy(() -> RedisUris.parse(uri))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void errorsNeverShowThePassword() {
    assertThatThrownBy(() -> RedisUris.parse("redis://bob:hunter2@host:1/zz"))
        .hasMessageContaining("redis://bob:***@host:1/zz")
        .hasMessageNotContaining("hunter2");
    assertThat(RedisConnector.builder().uri("redis://bob:hunter2@h:1").build())
        .satisfies(
            c -> {
              assertThat(c.toString()).doesNotContain("hunter2").contains("h:1");
              c.close();
              assertThat(c.toString()).contains("closed");
            });
  }

  @Test
  void parsesSentinelUrisInAsynqsAndLettucesForms() {
    RedisUris.Parsed p =
        RedisUris.parse(
            "redis-sentinel://:pw@10.0.0.1:26379,10.0.0.2/2?master=jobs&sentinelPassword=sp");
    assertThat(p.sentinels())
        .containsExactly(
            new RedisUris.Sentinel("10.0.0.1", 26379), new RedisUris.Sentinel("10.0.0.2", 26379));
    assertThat(p.masterName()).isEqualTo("jobs");
    assertThat(new String(p.password())).isEqualTo("pw");
    assertThat(new String(p.sentinelPassword())).isEqualTo("sp");
    assertThat(p.database()).isEqualTo(2);
    assertThat(RedisUris.parse("redis-sentinel://h:1,h:2?sentinelMasterId=m").masterName())
        .isEqualTo("m");
    assertThat(RedisUris.parse("redis-sentinel://h:1#m").masterName()).isEqualTo("m");
    try (RedisConnector c = RedisConnector.create("redis-sentinel://:pw@h1:1,h2:2/2?master=jobs")) {
      assertThat(c.toString())
          .isEqualTo("RedisConnector[redis-sentinel://h1:1,h2:2/2?master=jobs]");
    }
  }

  @Test
  void sentinelUrisCarryDataNodeAndSentinelCredentialsSeparately() {
    RedisUris.Parsed p =
        RedisUris.parse(
            "rediss-sentinel://app:data%40pw@s1:26379,s2:26380,s3/3"
                + "?master=jobs&sentinelUsername=watcher&sentinelPassword=s%26p");
    assertThat(p.username()).isEqualTo("app");
    assertThat(new String(p.password())).isEqualTo("data@pw");
    assertThat(p.sentinelUsername()).isEqualTo("watcher");
    assertThat(new String(p.sentinelPassword())).isEqualTo("s&p");
    assertThat(p.tls()).isTrue();
    assertThat(p.database()).isEqualTo(3);
    assertThat(p.sentinels()).hasSize(3);
    assertThatThrownBy(() -> RedisUris.parse("redis-sentinel://h:1?master=m&sentinelUsername=u"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sentinelUsername needs sentinelPassword");
    assertThatThrownBy(
            () -> RedisUris.parse("redis-sentinel://h:1?master=m&sentinelPassword=secret&x=1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sentinelPassword=***")
        .hasMessageNotContaining("secret");
  }

  @Test
  void sentinelBuilderChecksCredentials() {
    assertThatThrownBy(
            () ->
                RedisConnector.builder()
                    .sentinel("h", 26379)
                    .masterName("m")
                    .sentinelUsername("u")
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sentinelUsername \"u\" needs a sentinelPassword");
    try (RedisConnector c =
        RedisConnector.builder()
            .sentinel("h1", 26379)
            .sentinel("h2", 26379)
            .masterName("m")
            .sentinelUsername("u")
            .sentinelPassword("sp")
            .username("app")
            .password("pw")
            .database(1)
            .tls(true)
            .build()) {
      assertThat(c.toString()).doesNotContain("sp").doesNotContain("pw");
    }
  }

  @Test
  void sentinelUriWithoutMasterIsRejected() {
    assertThatThrownBy(() -> RedisUris.parse("redis-sentinel://h:1,h:2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the master name is missing");
  }
}
