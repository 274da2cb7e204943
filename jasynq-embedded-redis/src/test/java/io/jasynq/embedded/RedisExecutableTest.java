package io.jasynq.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedisExecutableTest {
  @Test
  void locateFindsAWorkingBinaryAndReportsItsVersion() {
    RedisExecutable executable = RedisExecutable.locate();

    assertThat(executable.path()).isAbsolute().isExecutable();
    assertThat(executable.version()).matches("\\d+\\.\\d+\\.\\d+.*");
  }

  @Test
  void embeddedBinaryIsFoundByResourceNameWhenItsJarIsOnTheClassPath() {
    RedisExecutable embedded = RedisExecutable.embedded();

    assertThat(embedded.source()).isEqualTo(RedisExecutable.SOURCE_EMBEDDED);
    assertThat(embedded.version()).startsWith("6.2.");
  }

  @Test
  void embeddedResourceMatchesOsAndArchitecture() {
    assertThat(RedisExecutable.embeddedResourceName("Linux", "amd64"))
        .isEqualTo("redis-server-6.2.6-v5-linux-amd64");
    assertThat(RedisExecutable.embeddedResourceName("Linux", "aarch64"))
        .isEqualTo("redis-server-6.2.7-linux-arm64");
    assertThat(RedisExecutable.embeddedResourceName("Mac OS X", "x86_64"))
        .isEqualTo("redis-server-6.2.6-v5-darwin-amd64");
    assertThat(RedisExecutable.embeddedResourceName("Mac OS X", "aarch64"))
        .isEqualTo("redis-server-6.2.6-v5-darwin-arm64");
    assertThat(RedisExecutable.embeddedResourceName("Windows 11", "amd64")).isNull();
    assertThat(RedisExecutable.embeddedResourceName("Linux", "s390x")).isNull();
  }
}
