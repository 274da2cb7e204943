package io.jasynq.dashboard.browser;

import static io.jasynq.TaskOption.queue;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Inspector;
import io.jasynq.Page;
import io.jasynq.Scheduler;
import io.jasynq.SchedulerConfig;
import io.jasynq.SchedulerEnqueueEvent;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.TaskState;
import io.jasynq.dashboard.ClockSeam;
import io.jasynq.dashboard.Dashboard;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.RedisServer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A scheduler entry's enqueue history in the browser: a real jasynq {@link Scheduler} on a {@link
 * FakeClock} fires three ticks (each one as soon as the test moves the clock), and the page lists
 * their task IDs and times, newest first. The dashboard shares the fake clock, so that it sees the
 * scheduler's heartbeat as live; the clock runs ten minutes behind the real one, so every time the
 * page shows is in the past.
 */
class SchedulerHistoryPageTest {
  @RegisterExtension static final Browser browser = new Browser();

  private static RedisServer redis;
  private static FakeClock clock;
  private static Dashboard dashboard;
  private static Jetty jetty;
  private static Inspector inspector;
  private static Scheduler scheduler;
  private static String entryId;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    // Half a minute past a whole minute, ten minutes ago: the first tick is 30 s away.
    clock =
        FakeClock.at(
            Instant.now()
                .truncatedTo(ChronoUnit.MINUTES)
                .minus(Duration.ofMinutes(10))
                .plusSeconds(30));
    dashboard = ClockSeam.clock(Dashboard.builder().uri(redis.uri()), clock).build();
    jetty = Jetty.start(dashboard);
    inspector = Inspector.builder().uri(redis.uri()).clock(clock).build();
    scheduler = Scheduler.connect(redis.uri(), SchedulerConfig.builder().clock(clock).build());
    entryId =
        scheduler.register(
            "* * * * *", Task.of("report:minutely", "{\"kind\":\"minutely\"}"), queue("reports"));
    scheduler.start();
  }

  @AfterAll
  static void stop() {
    Browser.closeAll(scheduler, inspector, jetty, dashboard, redis);
  }

  @Test
  void anEntrysHistoryListsEachEnqueuedTaskWithItsTime() {
    // The scheduler's loop looks at the clock every 100 ms: each move fires one tick.
    Duration[] moves = {Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(1)};
    for (int i = 0; i < moves.length; i++) {
      clock.advance(moves[i]);
      int fired = i + 1;
      Eventually.until(
          "tick " + fired + " enqueued and recorded",
          () ->
              inspector.schedulerHistory(entryId, Page.all()).size() == fired
                  && inspector.queueInfo("reports").pending() == fired);
    }
    List<SchedulerEnqueueEvent> events = inspector.schedulerHistory(entryId, Page.all());
    List<String> pending =
        inspector.listTasks("reports", TaskState.PENDING, Page.all()).stream()
            .map(TaskInfo::id)
            .toList();
    // Every event names a task the scheduler really enqueued, at the tick it fired for.
    assertThat(events).extracting(SchedulerEnqueueEvent::taskId).hasSameElementsAs(pending);
    Instant third = clock.instant();
    assertThat(events)
        .extracting(SchedulerEnqueueEvent::enqueuedAt)
        .containsExactly(
            third, third.minus(Duration.ofMinutes(1)), third.minus(Duration.ofMinutes(2)));

    // A heartbeat (every 10 s) scored at the moved clock: until then the scheduler looks gone.
    Eventually.until(
        "the scheduler's heartbeat at the moved clock",
        () ->
            inspector.schedulerEntries().stream()
                .anyMatch(
                    e -> e.id().equals(entryId) && e.previous().filter(third::equals).isPresent()));
    browser.openQuiet(jetty.url("/"));
    browser.route("#/schedulers");
    browser.waitText("entries", "report:minutely");
    WebElement row = browser.el("entry-row");
    assertThat(row.getAttribute("data-id")).isEqualTo(entryId);
    assertThat(row.getText()).contains("* * * * *", "Queue(\"reports\")", "ago");
    assertThat(browser.el("entry-history").getText()).isEqualTo("History");
    browser.click("entry-history");
    browser.el("history");
    List<WebElement> items = browser.all("history-event");
    assertThat(items).hasSize(3);
    for (int i = 0; i < 3; i++) {
      SchedulerEnqueueEvent e = events.get(i);
      WebElement item = items.get(i);
      assertThat(item.findElement(Browser.by("history-task-id")).getText()).isEqualTo(e.taskId());
      WebElement time = item.findElement(By.tagName("time"));
      assertThat(time.getAttribute("title"))
          .isEqualTo(e.enqueuedAt().toString().replace("Z", ".000Z"));
      assertThat(time.getText()).endsWith(" ago");
    }
    assertThat(browser.el("entry-history").getText()).isEqualTo("Hide history");
    browser.screenshot("scheduler-history");

    browser.click("entry-history");
    browser.waiting().until(d -> browser.all("history").isEmpty());
  }
}
