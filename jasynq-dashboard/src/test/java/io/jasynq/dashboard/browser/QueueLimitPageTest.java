package io.jasynq.dashboard.browser;

import static io.jasynq.TaskOption.queue;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.RateLimit;
import io.jasynq.Task;
import io.jasynq.dashboard.Dashboard;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * A queue page shows the queue's fleet-wide concurrency and rate limits, and their controls set,
 * refuse and clear them: checked in the page and in Redis.
 */
class QueueLimitPageTest {
  @RegisterExtension static final Browser browser = new Browser();

  private static final String KEY = "asynq:{limited}:limits";
  private static final String RATED = "asynq:{rated}:limits";

  private static RedisServer redis;
  private static Dashboard dashboard;
  private static Jetty jetty;
  private static Inspector inspector;
  private static TestRedis raw;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    dashboard = Dashboard.builder().uri(redis.uri()).build();
    jetty = Jetty.start(dashboard);
    inspector = Inspector.connect(redis.uri());
    raw = TestRedis.connect(redis.uri());
    try (Client client = Client.connect(redis.uri())) {
      client.enqueue(Task.of("report:build", "{\"id\":1}"), queue("limited"));
      client.enqueue(Task.of("report:build", "{\"id\":2}"), queue("rated"));
    }
  }

  @AfterAll
  static void stop() {
    Browser.closeAll(raw, inspector, jetty, dashboard, redis);
  }

  private static void typeLimit(String value) {
    browser.el("limit-input").sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE, value);
    browser.click("limit-set");
  }

  /** Fills the rate form (an empty burst is left out) and submits it. */
  private static void typeRate(String tasks, String perMs, String burst) {
    browser.el("rate-tasks").sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE, tasks);
    new Select(browser.el("rate-unit")).selectByValue(perMs);
    browser.el("rate-burst").sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE, burst);
    browser.click("rate-set");
  }

  /** Waits until a notice of {@code kind} (ok, error) says {@code text}; older ones may stay. */
  private static void waitToast(String kind, String text) {
    browser
        .waiting()
        .until(
            d ->
                d.findElements(Browser.by("toast-" + kind)).stream()
                    .anyMatch(e -> e.getText().contains(text)));
  }

  /** Queue "rated"'s rate fields in Redis: rate, per_ms, burst (null when absent). */
  private static List<String> storedRate() {
    return Arrays.asList(
        raw.hget(RATED, "rate"), raw.hget(RATED, "per_ms"), raw.hget(RATED, "burst"));
  }

  @Test
  void setsRefusesAndClearsTheRateFromTheQueuePage() {
    browser.openQuiet(jetty.url("/"));
    browser.route("#/queues/rated/pending");
    browser.el("task-row");
    browser.waitText("rate-limit", "Rate limit: none");
    browser.waitText("concurrency-limit", "Concurrency limit: none");
    assertThat(browser.el("rate-clear").isEnabled()).isFalse();
    assertThat(new Select(browser.el("rate-unit")).getOptions())
        .extracting(WebElement::getText)
        .containsExactly("per second", "per minute", "per hour");

    // No burst: the burst is the tasks.
    typeRate("50", "1000", "");
    waitToast("ok", "Rate limit of rated: 50 per 1 s");
    browser.waitText("rate-limit", "Rate limit: 50 per 1 s (burst 50)");
    assertThat(storedRate()).containsExactly("50", "1000", "50");
    assertThat(inspector.rateLimit("rated")).contains(RateLimit.of(50, Duration.ofSeconds(1)));
    assertThat(browser.el("rate-tasks").getAttribute("value")).isEmpty();
    assertThat(browser.el("rate-clear").isEnabled()).isTrue();
    assertThat(raw.hget(RATED, "concurrency")).isNull();

    typeRate("120", "60000", "200");
    waitToast("ok", "Rate limit of rated: 120 per 1 min (burst 200)");
    browser.waitText("rate-limit", "Rate limit: 120 per 1 min (burst 200)");
    assertThat(storedRate()).containsExactly("120", "60000", "200");
    assertThat(browser.el("rate-burst").getAttribute("value")).isEmpty();
    browser.screenshot("queue-rate-limit");

    // A bad number: the server's message, and nothing changes.
    typeRate("0", "3600000", "");
    waitToast("error", "rate.tasks must be an integer 1..2147483647, was 0");
    assertThat(storedRate()).containsExactly("120", "60000", "200");
    assertThat(browser.el("rate-limit").getText())
        .isEqualTo("Rate limit: 120 per 1 min (burst 200)");

    // The concurrency control leaves the rate alone.
    typeLimit("4");
    browser.waitText("concurrency-limit", "Concurrency limit: 4 active at once (fleet-wide)");
    assertThat(raw.hget(RATED, "concurrency")).isEqualTo("4");
    assertThat(storedRate()).containsExactly("120", "60000", "200");
    assertThat(browser.el("rate-limit").getText())
        .isEqualTo("Rate limit: 120 per 1 min (burst 200)");

    // Set elsewhere (the CLI, another dashboard): the page shows it after a refresh.
    inspector.setRateLimit("rated", new RateLimit(3, Duration.ofHours(1), 1));
    browser.route("#/queues/rated/active");
    browser
        .waiting()
        .until(
            d ->
                !d.findElements(By.cssSelector("[data-test=view-queue][data-state=active]"))
                    .isEmpty());
    browser.waitText("rate-limit", "Rate limit: 3 per 1 h (burst 1)");

    // Clearing the rate leaves the concurrency limit.
    browser.click("rate-clear");
    browser.waitText("rate-limit", "Rate limit: none");
    assertThat(storedRate()).containsExactly(null, null, null);
    assertThat(inspector.rateLimit("rated")).isEmpty();
    assertThat(raw.hget(RATED, "concurrency")).isEqualTo("4");
    assertThat(browser.el("concurrency-limit").getText())
        .isEqualTo("Concurrency limit: 4 active at once (fleet-wide)");
    assertThat(browser.el("rate-clear").isEnabled()).isFalse();
  }

  @Test
  void setsRefusesAndClearsTheLimitFromTheQueuePage() {
    browser.openQuiet(jetty.url("/"));
    browser.route("#/queues/limited/pending");
    browser.el("task-row");
    browser.waitText("concurrency-limit", "Concurrency limit: none");
    assertThat(browser.el("limit-clear").isEnabled()).isFalse();

    typeLimit("5");
    browser.waitText("toast-ok", "Concurrency limit of limited: 5");
    browser.waitText("concurrency-limit", "Concurrency limit: 5 active at once (fleet-wide)");
    assertThat(raw.hget(KEY, "concurrency")).isEqualTo("5");
    assertThat(inspector.concurrencyLimit("limited")).isEqualTo(OptionalInt.of(5));
    assertThat(browser.el("limit-input").getAttribute("value")).isEmpty();
    assertThat(browser.el("limit-clear").isEnabled()).isTrue();
    browser.screenshot("queue-limit");

    // A bad number: the server's message, and nothing changes.
    typeLimit("0");
    browser.waitText("toast-error", "concurrency must be an integer 1..2147483647 or null, was 0");
    assertThat(raw.hget(KEY, "concurrency")).isEqualTo("5");
    assertThat(browser.el("concurrency-limit").getText())
        .isEqualTo("Concurrency limit: 5 active at once (fleet-wide)");

    // Set elsewhere (the CLI, another dashboard): the page shows it after a refresh.
    inspector.setConcurrencyLimit("limited", 12);
    browser.route("#/queues/limited/active");
    browser
        .waiting()
        .until(
            d ->
                !d.findElements(By.cssSelector("[data-test=view-queue][data-state=active]"))
                    .isEmpty());
    browser.waitText("concurrency-limit", "Concurrency limit: 12 active at once (fleet-wide)");

    browser.click("limit-clear");
    browser.waitText("concurrency-limit", "Concurrency limit: none");
    assertThat(raw.hget(KEY, "concurrency")).isNull();
    assertThat(inspector.concurrencyLimit("limited")).isEmpty();
  }
}
