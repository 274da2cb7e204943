package io.jasynq.internal.scheduler;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneRules;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A parsed cron spec in the grammar of robfig/cron v3's standard parser, which Asynq uses
 * (wire-format §7.2): five fields (minute hour day-of-month month day-of-week) with {@code * ? , - /}, month and
 * weekday names, the descriptors {@code @yearly @annually @monthly @weekly @daily @midnight
 * @hourly}, {@code @every <Go duration>}, and a {@code CRON_TZ=}/{@code TZ=} prefix. {@link
 * #next(Instant)} follows robfig's search, including how it moves through daylight-saving
 * transitions: hours, minutes and seconds advance in absolute time and days and months on the
 * calendar, with wall times resolved as Go's {@code time.Date} resolves them, so a time in a
 * spring-forward gap is skipped and one in a fall-back repeat fires twice. Immutable.
 */
public final class CronSchedule {
  /** The bit set when a field was {@code *} or {@code ?} (step 1): it does not restrict. */
  private static final long STAR = 1L << 63;

  private static final Pattern FIELDS = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

  private static final Map<String, Integer> MONTHS =
      Map.ofEntries(
          Map.entry("jan", 1),
          Map.entry("feb", 2),
          Map.entry("mar", 3),
          Map.entry("apr", 4),
          Map.entry("may", 5),
          Map.entry("jun", 6),
          Map.entry("jul", 7),
          Map.entry("aug", 8),
          Map.entry("sep", 9),
          Map.entry("oct", 10),
          Map.entry("nov", 11),
          Map.entry("dec", 12));
  private static final Map<String, Integer> WEEKDAYS =
      Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4, "fri", 5, "sat", 6);

  private record Field(String name, int min, int max, Map<String, Integer> names) {}

  private static final Field MINUTE = new Field("minute", 0, 59, null);
  private static final Field HOUR = new Field("hour", 0, 23, null);
  private static final Field DAY_OF_MONTH = new Field("day-of-month", 1, 31, null);
  private static final Field MONTH = new Field("month", 1, 12, MONTHS);
  private static final Field DAY_OF_WEEK = new Field("day-of-week", 0, 6, WEEKDAYS);

  private final String spec;
  private final ZoneId zone;
  private final Duration every; // null for a cron schedule
  private final long minutes;
  private final long hours;
  private final long daysOfMonth;
  private final long months;
  private final long daysOfWeek;

  private CronSchedule(
      String spec,
      ZoneId zone,
      Duration every,
      long minutes,
      long hours,
      long daysOfMonth,
      long months,
      long daysOfWeek) {
    this.spec = spec;
    this.zone = zone;
    this.every = every;
    this.minutes = minutes;
    this.hours = hours;
    this.daysOfMonth = daysOfMonth;
    this.months = months;
    this.daysOfWeek = daysOfWeek;
  }

  /**
   * Parses {@code spec}, evaluated in {@code defaultZone} unless it has a time-zone prefix.
   *
   * @throws IllegalArgumentException naming the spec, the field and why it is invalid
   */
  public static CronSchedule parse(String spec, ZoneId defaultZone) {
    Objects.requireNonNull(spec, "cron spec == null");
    Objects.requireNonNull(defaultZone, "zone == null");
    try {
      return parseChecked(spec, defaultZone);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid cron spec \"" + spec + "\": " + e.getMessage());
    }
  }

  private static CronSchedule parseChecked(String spec, ZoneId zone) {
    if (spec.isEmpty()) {
      throw new IllegalArgumentException("it is empty");
    }
    String rest = spec;
    if (rest.startsWith("TZ=") || rest.startsWith("CRON_TZ=")) {
      int space = rest.indexOf(' ');
      int eq = rest.indexOf('=');
      if (space < 0) {
        throw new IllegalArgumentException(
            "a time-zone prefix must be followed by a space and the schedule");
      }
      zone = zone(rest.substring(eq + 1, space));
      rest = rest.substring(space).strip();
    }
    if (rest.startsWith("@")) {
      return descriptor(spec, rest, zone);
    }
    String[] f = rest.isBlank() ? new String[0] : FIELDS.split(rest.strip());
    if (f.length != 5) {
      throw new IllegalArgumentException(
          "expected exactly 5 fields (minute hour day-of-month month day-of-week), found "
              + f.length
              + " (seconds are not supported)");
    }
    return new CronSchedule(
        spec,
        zone,
        null,
        field(MINUTE, f[0]),
        field(HOUR, f[1]),
        field(DAY_OF_MONTH, f[2]),
        field(MONTH, f[3]),
        field(DAY_OF_WEEK, f[4]));
  }

  private static ZoneId zone(String name) {
    try {
      ZoneId z = ZoneId.of(name);
      if (!(z instanceof ZoneOffset) && z.getId().equals(name)) {
        return z;
      }
    } catch (DateTimeException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "time zone \"" + name + "\" is not an IANA time-zone name (like Europe/Berlin or UTC)");
  }

  private static CronSchedule descriptor(String spec, String d, ZoneId zone) {
    long all = STAR | ~STAR; // every bit, and unrestricted
    if (d.startsWith("@every ")) {
      Duration delay = GoText.parseDuration(d.substring("@every ".length()));
      if (delay.compareTo(Duration.ofSeconds(1)) < 0) {
        delay = Duration.ofSeconds(1); // robfig: a delay under a second is one second
      }
      return new CronSchedule(spec, zone, delay.truncatedTo(ChronoUnit.SECONDS), 0, 0, 0, 0, 0);
    }
    return switch (d) {
      case "@yearly", "@annually" ->
          new CronSchedule(spec, zone, null, 1, 1, 1L << 1, 1L << 1, all);
      case "@monthly" -> new CronSchedule(spec, zone, null, 1, 1, 1L << 1, all, all);
      case "@weekly" -> new CronSchedule(spec, zone, null, 1, 1, all, all, 1);
      case "@daily", "@midnight" -> new CronSchedule(spec, zone, null, 1, 1, all, all, all);
      case "@hourly" -> new CronSchedule(spec, zone, null, 1, all, all, all, all);
      default ->
          throw new IllegalArgumentException(
              "unknown descriptor \""
                  + d
                  + "\" (use @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly"
                  + " or @every <duration>)");
    };
  }

  /** The bits of one field: a comma-separated list of {@code *}, {@code ?}, values and ranges. */
  private static long field(Field field, String text) {
    long bits = 0;
    for (String part : text.split(",", -1)) {
      try {
        bits |= range(field, part);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            field.name() + " field \"" + text + "\": " + e.getMessage());
      }
    }
    return bits;
  }

  private static long range(Field field, String part) {
    String[] rangeAndStep = part.split("/", -1);
    if (rangeAndStep.length > 2) {
      throw new IllegalArgumentException("\"" + part + "\" has more than one '/'");
    }
    String[] lowHigh = rangeAndStep[0].split("-", -1);
    if (lowHigh.length > 2) {
      throw new IllegalArgumentException("\"" + part + "\" has more than one '-'");
    }
    int start;
    int end;
    long star = 0;
    if (lowHigh[0].equals("*") || lowHigh[0].equals("?")) {
      if (lowHigh.length == 2) {
        throw new IllegalArgumentException("\"" + part + "\": a range cannot start with *");
      }
      start = field.min();
      end = field.max();
      star = STAR;
    } else {
      start = value(field, lowHigh[0]);
      end = lowHigh.length == 2 ? value(field, lowHigh[1]) : start;
    }
    int step = 1;
    if (rangeAndStep.length == 2) {
      step = number(rangeAndStep[1], "step");
      if (lowHigh.length == 1) {
        end = field.max(); // "a/n" means "a-max/n"
      }
      if (step > 1) {
        star = 0; // "*/2" restricts (it matters for the day rule)
      }
    }
    if (start < field.min()) {
      throw new IllegalArgumentException(start + " is below the minimum " + field.min());
    }
    if (end > field.max()) {
      throw new IllegalArgumentException(end + " is above the maximum " + field.max());
    }
    if (start > end) {
      throw new IllegalArgumentException("the range starts at " + start + ", after its end " + end);
    }
    if (step == 0) {
      throw new IllegalArgumentException("the step must be a positive number, was 0");
    }
    long bits = star;
    for (int i = start; i <= end; i += step) {
      bits |= 1L << i;
    }
    return bits;
  }

  private static int value(Field field, String text) {
    if (field.names() != null) {
      Integer named = field.names().get(text.toLowerCase(Locale.ROOT));
      if (named != null) {
        return named;
      }
    }
    return number(text, "value");
  }

  private static int number(String text, String what) {
    if (!INTEGER.matcher(text).matches()) {
      throw new IllegalArgumentException(
          text.isEmpty() ? "a " + what + " is missing" : "\"" + text + "\" is not a number");
    }
    long n;
    try {
      n = Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
    } catch (NumberFormatException e) {
      n = Long.MAX_VALUE;
    }
    if (n < 0) {
      throw new IllegalArgumentException("negative number " + text + " is not allowed");
    }
    return (int) Math.min(n, Integer.MAX_VALUE);
  }

  /** The spec as given. */
  public String spec() {
    return spec;
  }

  /** The zone the spec is evaluated in: its prefix's, or the default. */
  public ZoneId zone() {
    return zone;
  }

  /** The delay of an {@code @every} spec, or null for a calendar spec. */
  public Duration every() {
    return every;
  }

  /**
   * The first fire time after {@code after} (whole seconds), or null if there is none within five
   * years (a spec such as {@code 0 0 30 2 *} never fires). For {@code @every}, {@code after} plus
   * the delay, the fraction of a second of {@code after} dropped.
   */
  public Instant next(Instant after) {
    if (every != null) {
      return after.truncatedTo(ChronoUnit.SECONDS).plus(every);
    }
    return new Search(zone.getRules()).from(after);
  }

  /** One run of the search: the instant moves; its wall time is read in the zone. */
  private final class Search {
    private final ZoneRules rules;
    private Instant t;
    private boolean moved;

    Search(ZoneRules rules) {
      this.rules = rules;
    }

    Instant from(Instant after) {
      t = after.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
      int yearLimit = wall().getYear() + 5;
      while (wall().getYear() <= yearLimit) {
        if (settle()) {
          return t;
        }
      }
      return null;
    }

    /** One pass over the fields, coarse to fine; false when a field wrapped (start again). */
    private boolean settle() {
      while (!has(months, wall().getMonthValue())) {
        if (reset()) {
          LocalDateTime w = wall();
          t = date(w.getYear(), w.getMonthValue(), 1, 0, 0);
        }
        t = addDate(1, 0);
        if (wall().getMonthValue() == 1) {
          return false;
        }
      }
      while (!dayMatches(wall())) {
        if (reset()) {
          LocalDateTime w = wall();
          t = date(w.getYear(), w.getMonthValue(), w.getDayOfMonth(), 0, 0);
        }
        t = addDate(0, 1);
        int h = wall().getHour(); // midnight may not exist on a DST day: back to it
        if (h != 0) {
          t = h > 12 ? t.plus(24 - h, ChronoUnit.HOURS) : t.minus(h, ChronoUnit.HOURS);
        }
        if (wall().getDayOfMonth() == 1) {
          return false;
        }
      }
      while (!has(hours, wall().getHour())) {
        if (reset()) {
          LocalDateTime w = wall();
          t = date(w.getYear(), w.getMonthValue(), w.getDayOfMonth(), w.getHour(), 0);
        }
        t = t.plus(1, ChronoUnit.HOURS);
        if (wall().getHour() == 0) {
          return false;
        }
      }
      while (!has(minutes, wall().getMinute())) {
        if (reset()) {
          t = t.truncatedTo(ChronoUnit.MINUTES);
        }
        t = t.plus(1, ChronoUnit.MINUTES);
        if (wall().getMinute() == 0) {
          return false;
        }
      }
      while (wall().getSecond() != 0) {
        if (reset()) {
          t = t.truncatedTo(ChronoUnit.SECONDS);
        }
        t = t.plusSeconds(1);
        if (wall().getSecond() == 0) {
          return false;
        }
      }
      return true;
    }

    /** True the first time a field has to move: the finer fields then start from zero. */
    private boolean reset() {
      if (moved) {
        return false;
      }
      moved = true;
      return true;
    }

    private LocalDateTime wall() {
      return LocalDateTime.ofInstant(t, rules.getOffset(t));
    }

    /** Adds months and days on the calendar, keeping the wall time, as Go's AddDate. */
    private Instant addDate(int addMonths, int addDays) {
      LocalDateTime w = wall();
      LocalDate d =
          LocalDate.of(w.getYear(), w.getMonthValue(), 1)
              .plusMonths(addMonths)
              .plusDays(w.getDayOfMonth() - 1L + addDays);
      return resolve(LocalDateTime.of(d, w.toLocalTime()));
    }

    private Instant date(int year, int month, int day, int hour, int minute) {
      return resolve(LocalDateTime.of(year, month, day, hour, minute));
    }

    /**
     * The instant of a wall time as Go's {@code time.Date} picks it: the offset in force at the
     * wall time read as UTC, unless the result falls outside that offset's period, then the offset
     * in force at the result. A time in a gap or a repeat resolves as Go resolves it.
     */
    private Instant resolve(LocalDateTime wall) {
      long asUtc = wall.toEpochSecond(ZoneOffset.UTC);
      ZoneOffset offset = rules.getOffset(Instant.ofEpochSecond(asUtc));
      ZoneOffset atResult =
          rules.getOffset(Instant.ofEpochSecond(asUtc - offset.getTotalSeconds()));
      if (!atResult.equals(offset)) {
        offset = atResult;
      }
      return Instant.ofEpochSecond(asUtc - offset.getTotalSeconds(), wall.getNano());
    }
  }

  private boolean dayMatches(LocalDateTime w) {
    boolean dom = has(daysOfMonth, w.getDayOfMonth());
    boolean dow = has(daysOfWeek, w.getDayOfWeek().getValue() % 7);
    if ((daysOfMonth & STAR) != 0 || (daysOfWeek & STAR) != 0) {
      return dom && dow;
    }
    return dom || dow; // both restricted: either may match
  }

  private static boolean has(long bits, int i) {
    return (bits & (1L << i)) != 0;
  }

  @Override
  public String toString() {
    return spec;
  }
}
