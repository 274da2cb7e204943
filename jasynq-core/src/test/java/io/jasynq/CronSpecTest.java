package io.jasynq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The public face of the grammar (the rules are in internal.scheduler.CronScheduleTest). */
class CronSpecTest {
  @Test
  void parsesValidatesAndComputesTheNextFireTime() {
    FakeClock clock = FakeClock.at("2026-01-05T10:00:30Z");
    CronSpec spec = CronSpec.parse("0 9 * * MON-FRI", ZoneId.of("Europe/Berlin"));
    assertThat(spec.next(clock.now())).contains(Instant.parse("2026-01-06T08:00:00Z"));
    assertThat(spec.every()).isEmpty();
    assertThat(spec.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(spec).isEqualTo(CronSpec.parse("0 9 * * MON-FRI", ZoneId.of("Europe/Berlin")));
    assertThat(spec.toString()).isEqualTo("0 9 * * MON-FRI");

    assertThat(CronSpec.parse("@every 90s").every()).contains(Duration.ofSeconds(90));
    assertThat(CronSpec.parse("0 0 30 2 *").next(clock.now())).isEmpty();
    assertThatThrownBy(() -> CronSpec.parse("0 0 * * 8"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "invalid cron spec \"0 0 * * 8\": day-of-week field \"8\": 8 is above the maximum 6");
  }

  @Test
  void schedulerConfigRejectsBadValuesNamingThem() {
    assertThatThrownBy(
            () -> SchedulerConfig.builder().heartbeatInterval(Duration.ofMillis(500)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "heartbeatInterval must be at least 1s (Redis expiries are whole seconds), was PT0.5S");
    SchedulerConfig c = SchedulerConfig.defaults();
    assertThat(c.location()).isEqualTo(java.time.ZoneOffset.UTC);
    assertThat(c.heartbeatInterval()).isEqualTo(SchedulerConfig.DEFAULT_HEARTBEAT_INTERVAL);
    assertThat(c.missedTickPolicy()).isEqualTo(SchedulerConfig.MissedTickPolicy.SKIP);
    assertThat(c.toBuilder().location(ZoneId.of("Asia/Tokyo")).build().location())
        .isEqualTo(ZoneId.of("Asia/Tokyo"));
    assertThatThrownBy(
            () ->
                PeriodicTaskManager.builder(java.util.List::of).syncInterval(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("syncInterval must be at least 1s, was PT0S");
  }
}
