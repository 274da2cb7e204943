package io.jasynq.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Runs fixture classes through JUnit to see what {@link RedisExtension} does between tests. */
class RedisExtensionFixturesTest {
  private static final String FIXTURES_ENABLED = "io.jasynq.testkit.fixtures";

  @AfterEach
  void endLeaks() throws InterruptedException {
    LeakFixtures.endLeakThreads();
  }

  @Test
  void flushesBetweenTests() {
    EngineExecutionResults results = run(FlushFixture.class);

    results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
  }

  @Test
  void restartsAServerThatAnEarlierTestLeftStopped() {
    EngineExecutionResults results = run(KillFixture.class);

    results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
  }

  @Test
  void failsATestThatLeaksAThreadAndAConnection() {
    EngineExecutionResults results = run(LeakingFixture.class);

    results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
    Throwable failure = failures(results).get(0);
    assertThat(failure)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("1 jasynq thread(s) still alive 5000 ms after the test")
        .hasMessageContaining("jasynq-leak (daemon=true");
    assertThat(failure.getSuppressed()).hasSize(1);
    assertThat(failure.getSuppressed()[0])
        .hasMessageContaining(
            "Redis still has 1 client connection(s) 5000 ms after the test; it had 0")
        .hasMessageContaining("name=leaky-fixture");
  }

  @Test
  void leakCheckCanBeTurnedOff() {
    EngineExecutionResults results = run(LeakCheckOffFixture.class);

    results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
  }

  private static EngineExecutionResults run(Class<?> fixture) {
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameter(FIXTURES_ENABLED, "true")
        .selectors(selectClass(fixture))
        .execute();
  }

  private static List<Throwable> failures(EngineExecutionResults results) {
    return results.testEvents().failed().stream()
        .map(Event::getPayload)
        .map(payload -> payload.orElseThrow())
        .map(payload -> ((TestExecutionResult) payload).getThrowable().orElseThrow())
        .toList();
  }

  /** Keeps the fixtures from running except through {@link #run(Class)}. */
  static final class OnlyThroughEngineTestKit implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return context.getConfigurationParameter(FIXTURES_ENABLED).isPresent()
          ? ConditionEvaluationResult.enabled("run by RedisExtensionFixturesTest")
          : ConditionEvaluationResult.disabled("fixture for RedisExtensionFixturesTest");
    }
  }

  @RedisTest
  @ExtendWith(OnlyThroughEngineTestKit.class)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class FlushFixture {
    @Test
    @Order(1)
    void writes(TestRedis redis) {
      redis.commands().set("k", "v".getBytes(UTF_8));
      redis.commands().scriptLoad("return 1");
    }

    @Test
    @Order(2)
    void seesNothing(TestRedis redis) {
      assertThat(redis.keys("*")).isEmpty();
      assertThat(redis.commands().info("memory")).contains("number_of_cached_scripts:0");
    }
  }

  @RedisTest
  @ExtendWith(OnlyThroughEngineTestKit.class)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class KillFixture {
    @Test
    @Order(1)
    void kills(RedisServer server) {
      server.kill();
    }

    @Test
    @Order(2)
    void findsItRunning(RedisServer server, TestRedis redis) {
      assertThat(server.isRunning()).isTrue();
      assertThat(redis.commands().ping()).isEqualTo("PONG");
    }
  }

  @RedisTest
  @ExtendWith(OnlyThroughEngineTestKit.class)
  static class LeakingFixture {
    @Test
    void leaks(RedisServer server) throws InterruptedException {
      LeakFixtures.leakThread(server.port());
    }
  }

  @RedisTest(leakCheck = false)
  @ExtendWith(OnlyThroughEngineTestKit.class)
  static class LeakCheckOffFixture {
    @Test
    void leaks(RedisServer server) throws InterruptedException {
      LeakFixtures.leakThread(server.port());
    }
  }
}
