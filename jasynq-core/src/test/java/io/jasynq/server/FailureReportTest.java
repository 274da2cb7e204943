package io.jasynq.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.support.ChildJvm;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A handler failure is never silent: without an ErrorHandler and without an SLF4J provider (a child
 * JVM whose class path lacks logback), the server prints one line per failure on stderr.
 */
@RedisTest
class FailureReportTest {
  private final RedisServer redisServer;

  FailureReportTest(RedisServer redisServer) {
    this.redisServer = redisServer;
  }

  @Test
  void failureGoesToStderrWhenSlf4jHasNoProvider() throws Exception {
    ChildJvm.Result child =
        ChildJvm.runWithoutLogging(
            Duration.ofSeconds(90), ChildFailingTask.class, redisServer.uri());
    assertThat(child.exitCode()).as(child.toString()).isZero();
    String id =
        child
            .stdout()
            .lines()
            .filter(l -> l.startsWith("failed "))
            .map(l -> l.substring("failed ".length()))
            .findFirst()
            .orElseThrow(() -> new AssertionError(child.toString()));
    assertThat(child.stderr().lines().filter(l -> l.startsWith("jasynq: ")))
        .as(child.toString())
        .containsExactly(
            "jasynq: task "
                + id
                + " (type report:build, queue \"default\") failed:"
                + " java.lang.IllegalStateException: no template for report; archived");
  }
}
