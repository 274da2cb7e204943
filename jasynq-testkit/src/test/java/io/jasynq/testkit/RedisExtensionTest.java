package io.jasynq.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@RedisTest
class RedisExtensionTest {
  private final RedisServer constructorServer;
  private final FakeClock constructorClock;
  private FakeClock beforeEachClock;

  RedisExtensionTest(RedisServer server, FakeClock clock) {
    this.constructorServer = server;
    this.constructorClock = clock;
  }

  @BeforeEach
  void setUp(FakeClock clock, TestRedis redis) {
    beforeEachClock = clock;
    assertThat(redis.keys("*")).as("flushed before each test").isEmpty();
  }

  @Test
  void injectsTheClassServerAndHelperIntoTestMethods(RedisServer server, TestRedis redis) {
    assertThat(server).isSameAs(constructorServer);
    assertThat(server.isRunning()).isTrue();
    assertThat(redis.commands().ping()).isEqualTo("PONG");
    assertThat(redis.clientList())
        .anySatisfy(client -> assertThat(client.name()).isEqualTo(TestRedis.CLIENT_NAME));
  }

  @Test
  void injectsOneFreshFakeClockPerTest(FakeClock clock) {
    assertThat(clock).isSameAs(constructorClock).isSameAs(beforeEachClock);
    assertThat(clock.instant()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
    clock.advance(Duration.ofDays(1));
  }

  @Test
  void anotherTestGetsItsOwnFakeClock(FakeClock clock) {
    assertThat(clock.instant()).isEqualTo(RedisExtension.FAKE_CLOCK_START);
    clock.advance(Duration.ofDays(1));
  }

  @Test
  void writesDataThatTheNextTestDoesNotSee(TestRedis redis) {
    redis.commands().set("left-behind", "x".getBytes(UTF_8));
  }

  @Test
  void writesMoreDataThatTheNextTestDoesNotSee(TestRedis redis) {
    redis.commands().set("also-left-behind", "x".getBytes(UTF_8));
  }

  @Nested
  class NestedClass {
    @Test
    void reusesTheOuterServer(RedisServer server, TestRedis redis) {
      assertThat(server).isSameAs(constructorServer);
      assertThat(redis.keys("*")).isEmpty();
    }
  }
}
