package io.jasynq.dashboard.browser;

import static io.jasynq.TaskOption.queue;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.Task;
import io.jasynq.dashboard.Dashboard;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.TestRedis;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/**
 * A queue page shows the queue's fleet-wide concurrency limit, and its control sets, refuses and
 * clears it: checked in the page and in Redis.
 */
class QueueLimitPageTest {
  @RegisterExtension static final Browser browser = new Browser();

  private static final String KEY = "asynq:{limited}:limits";

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
