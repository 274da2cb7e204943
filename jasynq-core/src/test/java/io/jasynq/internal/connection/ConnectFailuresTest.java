package io.jasynq.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisConnectionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A connect that lost its handshake error in Lettuce's race is tried once more; others are not. */
class ConnectFailuresTest {
  private static RedisConnectionException lost() {
    return new RedisConnectionException(
        "Unable to connect to 127.0.0.1:1",
        new IllegalStateException("RedisHandshakeHandler not registered"));
  }

  @Test
  void aLostHandshakeIsTriedOnceMoreAndTheSecondAnswerCounts() {
    AtomicInteger calls = new AtomicInteger();
    String result =
        ConnectFailures.retryingLostHandshake(
            () -> {
              if (calls.incrementAndGet() == 1) {
                throw lost();
              }
              return "connected";
            });
    assertThat(result).isEqualTo("connected");
    assertThat(calls).hasValue(2);
  }

  @Test
  void anyOtherFailureIsNotRetriedAndALostHandshakeOnlyOnce() {
    AtomicInteger calls = new AtomicInteger();
    RedisConnectionException refused =
        new RedisConnectionException(
            "Unable to connect", new IllegalStateException("WRONGPASS invalid password"));
    assertThatThrownBy(
            () ->
                ConnectFailures.retryingLostHandshake(
                    () -> {
                      calls.incrementAndGet();
                      throw refused;
                    }))
        .isSameAs(refused);
    assertThat(calls).hasValue(1);

    calls.set(0);
    assertThatThrownBy(
            () ->
                ConnectFailures.retryingLostHandshake(
                    () -> {
                      calls.incrementAndGet();
                      throw lost();
                    }))
        .hasRootCauseMessage("RedisHandshakeHandler not registered");
    assertThat(calls).hasValue(2);
  }
}
