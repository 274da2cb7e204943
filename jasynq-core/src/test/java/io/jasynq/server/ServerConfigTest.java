package io.jasynq.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.ServerConfig;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Defaults are Asynq's (wire-format §4.1); bad values are rejected naming the value and the rule.
 */
class ServerConfigTest {
  @Test
  void defaults() {
    ServerConfig c = ServerConfig.defaults();
    assertThat(c.concurrency()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(c.queues()).isEqualTo(Map.of("default", 1));
    assertThat(c.strictPriority()).isFalse();
    assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(8));
    assertThat(c.delayedTaskCheckInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.healthCheckInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.janitorInterval()).isEqualTo(Duration.ofSeconds(8));
    assertThat(c.janitorBatchSize()).isEqualTo(100);
    assertThat(c.groupGracePeriod()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.recovererInterval()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void toBuilderKeepsEverything() {
    ServerConfig c =
        ServerConfig.builder().concurrency(3).queue("a", 2).strictPriority(true).build();
    ServerConfig d = c.toBuilder().concurrency(4).build();
    assertThat(d.concurrency()).isEqualTo(4);
    assertThat(d.queues()).isEqualTo(Map.of("a", 2));
    assertThat(d.strictPriority()).isTrue();
  }

  static Stream<Arguments> rejected() {
    return Stream.of(
        Arguments.of(
            (Consumer<ServerConfig.Builder>) b -> b.concurrency(0),
            "concurrency must be >= 1, was 0"),
        Arguments.of(
            (Consumer<ServerConfig.Builder>) b -> b.queue("q", 0),
            "priority of queue \"q\" must be >= 1, was 0"),
        Arguments.of(
            (Consumer<ServerConfig.Builder>) b -> b.queue(" ", 1),
            "queue must contain one or more characters"),
        Arguments.of((Consumer<ServerConfig.Builder>) b -> b.queue("{q}", 1), "'{' or '}'"),
        Arguments.of(
            (Consumer<ServerConfig.Builder>) b -> b.shutdownTimeout(Duration.ofSeconds(-1)),
            "shutdownTimeout must not be negative"),
        Arguments.of(
            (Consumer<ServerConfig.Builder>) b -> b.taskCheckInterval(Duration.ZERO),
            "taskCheckInterval must be positive"),
        Arguments.of(
            (Consumer<ServerConfig.Builder>) b -> b.heartbeatInterval(Duration.ofSeconds(11)),
            "heartbeatInterval must be at most 10s"),
        Arguments.of(
            (Consumer<ServerConfig.Builder>) b -> b.groupGracePeriod(Duration.ofMillis(500)),
            "groupGracePeriod must be at least 1s"),
        Arguments.of(
            (Consumer<ServerConfig.Builder>) b -> b.groupMaxSize(-1), "groupMaxSize must be >= 0"),
        Arguments.of(
            (Consumer<ServerConfig.Builder>) b -> b.janitorBatchSize(0),
            "janitorBatchSize must be in 1..1000, was 0"));
  }

  @ParameterizedTest
  @MethodSource("rejected")
  void rejectsBadValues(Consumer<ServerConfig.Builder> setting, String message) {
    assertThatThrownBy(() -> setting.accept(ServerConfig.builder()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
