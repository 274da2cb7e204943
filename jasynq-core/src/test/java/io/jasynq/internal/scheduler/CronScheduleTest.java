package io.jasynq.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The grammar of wire-format §7.2 (robfig/cron v3's standard parser), one case per rule, and the
 * fire times it gives, DST transitions included. Times start from a {@link FakeClock}.
 */
class CronScheduleTest {
  private static final ZoneId UTC = ZoneOffset.UTC;
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  /** The first {@code n} fire times after the clock's time, in UTC ISO text. */
  private static List<String> fires(String spec, ZoneId zone, String start, int n) {
    CronSchedule s = CronSchedule.parse(spec, zone);
    FakeClock clock = FakeClock.at(start);
    List<String> out = new ArrayList<>();
    Instant t = clock.now();
    for (int i = 0; i < n; i++) {
      t = s.next(t);
      out.add(t == null ? "never" : t.toString());
      if (t == null) {
        break;
      }
    }
    return out;
  }

  private static List<String> firesUtc(String spec, String start, int n) {
    return fires(spec, UTC, start, n);
  }

  @Test
  void everyMinuteAndTheNextWholeSecond() {
    assertThat(firesUtc("* * * * *", "2026-01-01T00:00:00Z", 2))
        .containsExactly("2026-01-01T00:01:00Z", "2026-01-01T00:02:00Z");
    assertThat(firesUtc("* * * * *", "2026-01-01T00:00:59.500Z", 1))
        .containsExactly("2026-01-01T00:01:00Z");
  }

  @Test
  void questionMarkIsStar() {
    assertThat(firesUtc("0 0 ? * ?", "2026-01-01T00:00:00Z", 2))
        .isEqualTo(firesUtc("0 0 * * *", "2026-01-01T00:00:00Z", 2));
  }

  @Test
  void listsRangesAndSteps() {
    assertThat(firesUtc("5,10-12 * * * *", "2026-01-01T00:00:00Z", 5))
        .containsExactly(
            "2026-01-01T00:05:00Z",
            "2026-01-01T00:10:00Z",
            "2026-01-01T00:11:00Z",
            "2026-01-01T00:12:00Z",
            "2026-01-01T01:05:00Z");
    assertThat(firesUtc("*/20 * * * *", "2026-01-01T00:00:00Z", 3))
        .containsExactly("2026-01-01T00:20:00Z", "2026-01-01T00:40:00Z", "2026-01-01T01:00:00Z");
    // "a/n" means "a-max/n"
    assertThat(firesUtc("5/20 * * * *", "2026-01-01T00:00:00Z", 4))
        .containsExactly(
            "2026-01-01T00:05:00Z",
            "2026-01-01T00:25:00Z",
            "2026-01-01T00:45:00Z",
            "2026-01-01T01:05:00Z");
    assertThat(firesUtc("0 8-18/5 * * *", "2026-01-01T00:00:00Z", 4))
        .containsExactly(
            "2026-01-01T08:00:00Z",
            "2026-01-01T13:00:00Z",
            "2026-01-01T18:00:00Z",
            "2026-01-02T08:00:00Z");
  }

  @Test
  void monthAndWeekdayNamesInAnyCase() {
    // 2026-01-01 is a Thursday.
    assertThat(firesUtc("0 9 * * mon-Fri", "2026-01-01T10:00:00Z", 3))
        .containsExactly("2026-01-02T09:00:00Z", "2026-01-05T09:00:00Z", "2026-01-06T09:00:00Z");
    assertThat(firesUtc("0 0 1 MAR,sep *", "2026-01-01T00:00:00Z", 3))
        .containsExactly("2026-03-01T00:00:00Z", "2026-09-01T00:00:00Z", "2027-03-01T00:00:00Z");
    assertThat(firesUtc("0 0 * * SUN/3", "2026-01-01T00:00:00Z", 3)) // Sun, Wed, Sat
        .containsExactly("2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z", "2026-01-07T00:00:00Z");
  }

  @Test
  void sundayIsZero() {
    assertThat(firesUtc("0 0 * * 0", "2026-01-01T00:00:00Z", 1))
        .containsExactly("2026-01-04T00:00:00Z");
  }

  @Test
  void dayOfMonthOrDayOfWeekWhenBothAreRestricted() {
    // The 13th, or any Friday (Jan 2, 9, 13, 16).
    assertThat(firesUtc("0 0 13 * FRI", "2026-01-01T00:00:00Z", 4))
        .containsExactly(
            "2026-01-02T00:00:00Z",
            "2026-01-09T00:00:00Z",
            "2026-01-13T00:00:00Z",
            "2026-01-16T00:00:00Z");
    // */2 restricts too: odd days, or Mondays (Jan 5 is a Monday).
    assertThat(firesUtc("0 0 */2 * MON", "2026-01-02T00:00:00Z", 3))
        .containsExactly("2026-01-03T00:00:00Z", "2026-01-05T00:00:00Z", "2026-01-07T00:00:00Z");
  }

  @Test
  void bothMustMatchWhenEitherIsStar() {
    assertThat(firesUtc("0 0 13 * *", "2026-01-01T00:00:00Z", 1))
        .containsExactly("2026-01-13T00:00:00Z");
    assertThat(firesUtc("0 0 * * FRI", "2026-01-01T00:00:00Z", 1))
        .containsExactly("2026-01-02T00:00:00Z");
    // */1 keeps the star: only Mondays.
    assertThat(firesUtc("0 0 */1 * MON", "2026-01-01T00:00:00Z", 2))
        .containsExactly("2026-01-05T00:00:00Z", "2026-01-12T00:00:00Z");
    // Friday the 13th needs a day-of-month step of 1 and a list, not a star: 13 AND FRI is
    // impossible to write, as in robfig; "13 * FRI" is an OR.
  }

  @ParameterizedTest
  @CsvSource({
    "@yearly, 0 0 1 1 *",
    "@annually, 0 0 1 1 *",
    "@monthly, 0 0 1 * *",
    "@weekly, 0 0 * * 0",
    "@daily, 0 0 * * *",
    "@midnight, 0 0 * * *",
    "@hourly, 0 * * * *"
  })
  void descriptors(String descriptor, String same) {
    assertThat(firesUtc(descriptor, "2026-01-01T00:00:00Z", 3))
        .isEqualTo(firesUtc(same, "2026-01-01T00:00:00Z", 3));
  }

  @Test
  void everyIsAFixedDelayInWholeSeconds() {
    CronSchedule s = CronSchedule.parse("@every 1m30s", UTC);
    assertThat(s.every()).isEqualTo(Duration.ofSeconds(90));
    assertThat(s.next(Instant.parse("2026-01-01T00:00:00.700Z")))
        .isEqualTo(Instant.parse("2026-01-01T00:01:30Z"));
    assertThat(CronSchedule.parse("@every 500ms", UTC).every()).isEqualTo(Duration.ofSeconds(1));
    assertThat(CronSchedule.parse("@every 2.7s", UTC).every()).isEqualTo(Duration.ofSeconds(2));
    assertThat(CronSchedule.parse("@every 1h", UTC).every()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void neverFiringSpecHasNoNextTime() {
    assertThat(firesUtc("0 0 30 2 *", "2026-01-01T00:00:00Z", 1)).containsExactly("never");
  }

  @Test
  void zoneFromConfigAndFromPrefix() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    assertThat(fires("0 9 * * *", berlin, "2026-01-01T00:00:00Z", 1))
        .containsExactly("2026-01-01T08:00:00Z");
    assertThat(firesUtc("CRON_TZ=Europe/Berlin 0 9 * * *", "2026-01-01T00:00:00Z", 1))
        .containsExactly("2026-01-01T08:00:00Z");
    assertThat(fires("TZ=UTC 0 9 * * *", berlin, "2026-01-01T00:00:00Z", 1))
        .containsExactly("2026-01-01T09:00:00Z");
    CronSchedule s = CronSchedule.parse("TZ=Asia/Tokyo  @daily", UTC);
    assertThat(s.zone()).isEqualTo(ZoneId.of("Asia/Tokyo"));
    assertThat(s.spec()).isEqualTo("TZ=Asia/Tokyo  @daily");
  }

  @Test
  void springForwardSkipsTheMissingTime() {
    // New York, 2026-03-08: 02:00 EST becomes 03:00 EDT. 02:30 does not exist that day.
    assertThat(fires("30 2 * * *", NEW_YORK, "2026-03-07T00:00:00Z", 3))
        .containsExactly(
            "2026-03-07T07:30:00Z", // 02:30 EST on the 7th
            "2026-03-09T06:30:00Z", // 02:30 EDT on the 9th; the 8th is skipped
            "2026-03-10T06:30:00Z")
        .doesNotContain("2026-03-08T07:30:00Z");
    // Hourly goes 01:00 EST, 03:00 EDT: one absolute hour apart.
    assertThat(fires("0 * * * *", NEW_YORK, "2026-03-08T05:30:00Z", 2))
        .containsExactly("2026-03-08T06:00:00Z", "2026-03-08T07:00:00Z");
    assertThat(wall(NEW_YORK, "2026-03-08T07:00:00Z")).isEqualTo("03:00-04:00");
  }

  @Test
  void fallBackRepeatsTheDoubledTime() {
    // New York, 2026-11-01: 02:00 EDT becomes 01:00 EST, so 01:30 happens twice; robfig fires
    // at both (wire-format §7.2: repeats follow Go's time arithmetic).
    assertThat(fires("30 1 * * *", NEW_YORK, "2026-11-01T04:00:00Z", 3))
        .containsExactly(
            "2026-11-01T05:30:00Z", // 01:30 EDT
            "2026-11-01T06:30:00Z", // 01:30 EST
            "2026-11-02T06:30:00Z");
    // A time after the repeat fires once.
    assertThat(fires("0 3 * * *", NEW_YORK, "2026-11-01T04:00:00Z", 2))
        .containsExactly("2026-11-01T08:00:00Z", "2026-11-02T08:00:00Z");
  }

  @Test
  void europeanTransitionsFollowTheSameRules() {
    // Berlin, 2026-03-29: 02:00 CET becomes 03:00 CEST; 2026-10-25: 03:00 CEST becomes 02:00 CET.
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    assertThat(fires("30 2 * * *", berlin, "2026-03-28T12:00:00Z", 1))
        .containsExactly("2026-03-30T00:30:00Z");
    assertThat(fires("30 2 * * *", berlin, "2026-10-24T12:00:00Z", 3))
        .containsExactly("2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z", "2026-10-26T01:30:00Z");
  }

  private static String wall(ZoneId zone, String instant) {
    ZonedDateTime z = Instant.parse(instant).atZone(zone);
    return z.toLocalTime() + z.getOffset().getId();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''| it is empty",
        "* * * *| expected exactly 5 fields",
        "0 * * * * *| found 6 (seconds are not supported)",
        "60 * * * *| minute field \"60\": 60 is above the maximum 59",
        "* 24 * * *| hour field \"24\": 24 is above the maximum 23",
        "* * 0 * *| day-of-month field \"0\": 0 is below the minimum 1",
        "* * 32 * *| day-of-month field \"32\": 32 is above the maximum 31",
        "* * * 13 *| month field \"13\": 13 is above the maximum 12",
        "* * * * 7| day-of-week field \"7\": 7 is above the maximum 6",
        "* * * JANUARY *| month field \"JANUARY\": \"JANUARY\" is not a number",
        "* * * * MON-SUN| day-of-week field \"MON-SUN\": the range starts at 1, after its end 0",
        "5-1 * * * *| minute field \"5-1\": the range starts at 5, after its end 1",
        "*/0 * * * *| minute field \"*/0\": the step must be a positive number, was 0",
        "1/2/3 * * * *| minute field \"1/2/3\": \"1/2/3\" has more than one '/'",
        "1-2-3 * * * *| minute field \"1-2-3\": \"1-2-3\" has more than one '-'",
        "1,,2 * * * *| minute field \"1,,2\": a value is missing",
        "-1 * * * *| minute field \"-1\": a value is missing",
        "*/-1 * * * *| minute field \"*/-1\": negative number -1 is not allowed",
        "*/x * * * *| minute field \"*/x\": \"x\" is not a number",
        "*-5 * * * *| a range cannot start with *",
        "@every| unknown descriptor \"@every\"",
        "@every 5x| invalid Go duration \"5x\": unknown unit \"x\"",
        "@every 5| invalid Go duration \"5\": missing unit after 5",
        "'@daily '| unknown descriptor \"@daily \"",
        "@fortnightly| unknown descriptor \"@fortnightly\"",
        "TZ=Mars/Olympus * * * * *| time zone \"Mars/Olympus\" is not an IANA time-zone name",
        "TZ=+01:00 * * * * *| time zone \"+01:00\" is not an IANA",
        "CRON_TZ=UTC| a time-zone prefix must be followed by a space"
      })
  void invalidSpecsSayWhichFieldAndWhy(String spec, String message) {
    assertThatThrownBy(() -> CronSchedule.parse(spec, UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid cron spec \"" + spec + "\": ")
        .hasMessageContaining(message);
  }
}
