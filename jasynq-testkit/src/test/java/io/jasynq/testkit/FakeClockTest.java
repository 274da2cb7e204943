package io.jasynq.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class FakeClockTest {
  @Test
  void standsStillAtTheGivenInstantInUtc() {
    FakeClock clock = FakeClock.at("2025-01-01T00:00:00Z");

    assertThat(clock.instant()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
    assertThat(clock.now()).isEqualTo(clock.instant());
    assertThat(clock.millis()).isEqualTo(1_735_689_600_000L);
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    assertThat(clock).hasToString("FakeClock[2025-01-01T00:00:00Z, Z]");
  }

  @Test
  void advanceMovesForwardAndReturnsTheNewTime() {
    FakeClock clock = FakeClock.at(Instant.parse("2025-01-01T00:00:00Z"));

    Instant after = clock.advance(Duration.ofSeconds(31));
    clock.advance(Duration.ZERO);

    assertThat(after).isEqualTo(Instant.parse("2025-01-01T00:00:31Z"));
    assertThat(clock.instant()).isEqualTo(after);
  }

  @Test
  void advanceRejectsNegativeAmountsNamingThem() {
    FakeClock clock = FakeClock.at("2025-01-01T00:00:00Z");

    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("amount must be >= 0, was PT-1S");
    assertThat(clock.instant()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
  }

  @Test
  void setMovesForwardOrBackward() {
    FakeClock clock = FakeClock.at("2025-01-01T00:00:00Z");

    clock.set(Instant.parse("2030-06-01T12:00:00Z"));
    assertThat(clock.instant()).isEqualTo(Instant.parse("2030-06-01T12:00:00Z"));
    clock.set(Instant.parse("2000-01-01T00:00:00Z"));
    assertThat(clock.instant()).isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
  }

  @Test
  void withZoneSharesTheTimeSource() {
    FakeClock utc = FakeClock.at("2025-01-01T00:00:00Z");
    FakeClock paris = utc.withZone(ZoneId.of("Europe/Paris"));

    utc.advance(Duration.ofHours(1));

    assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(paris.instant()).isEqualTo(Instant.parse("2025-01-01T01:00:00Z"));
    assertThat(utc.withZone(ZoneOffset.UTC)).isSameAs(utc);
  }

  @Test
  void rejectsNullsNamingTheArgument() {
    FakeClock clock = FakeClock.at("2025-01-01T00:00:00Z");

    assertThatThrownBy(() -> clock.set(null)).hasMessage("instant == null");
    assertThatThrownBy(() -> clock.advance(null)).hasMessage("amount == null");
    assertThatThrownBy(() -> FakeClock.at((String) null)).hasMessage("isoInstant == null");
  }
}
