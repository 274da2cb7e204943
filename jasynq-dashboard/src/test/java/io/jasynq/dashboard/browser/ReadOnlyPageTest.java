package io.jasynq.dashboard.browser;

import static io.jasynq.TaskOption.queue;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.Task;
import io.jasynq.dashboard.Dashboard;
import io.jasynq.testkit.RedisServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/** A read-only dashboard shows no action, and refuses a mutation the page's own script sends. */
class ReadOnlyPageTest {
  @RegisterExtension static final Browser browser = new Browser();

  private static RedisServer redis;
  private static Dashboard dashboard;
  private static Jetty jetty;
  private static Inspector inspector;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    dashboard = Dashboard.builder().uri(redis.uri()).readOnly(true).build();
    jetty = Jetty.start(dashboard);
    inspector = Inspector.connect(redis.uri());
    try (Client client = Client.connect(redis.uri())) {
      client.enqueue(Task.of("email:welcome", "{\"user\":1}"), queue("mail"));
    }
  }

  @AfterAll
  static void stop() {
    Browser.closeAll(inspector, jetty, dashboard, redis);
  }

  @Test
  void hidesEveryActionAndTheApiRefusesMutations() {
    browser.open(jetty.url("/"));
    browser.js("localStorage.setItem('jasynq.refresh', '0')");
    browser.el("read-only-badge");
    browser.waitText("queues-table", "mail");
    assertThat(browser.all("pause-mail")).isEmpty();
    assertThat(browser.all("delete-queue-mail")).isEmpty();
    browser.route("#/queues/mail/pending");
    browser.el("task-row");
    for (String test :
        List.of(
            "select-all",
            "select-row",
            "archive-one",
            "delete-one",
            "delete-all",
            "pause-queue",
            "limit-form",
            "limit-input",
            "limit-set",
            "limit-clear",
            "rate-form",
            "rate-tasks",
            "rate-unit",
            "rate-burst",
            "rate-set",
            "rate-clear")) {
      assertThat(browser.all(test)).as(test).isEmpty();
    }
    browser.waitText("concurrency-limit", "Concurrency limit: none");
    browser.waitText("rate-limit", "Rate limit: none");
    browser.click("task-link");
    browser.el("task-detail");
    assertThat(browser.driver().findElements(By.cssSelector("[data-test^=task-]")))
        .extracting(e -> e.getAttribute("data-test"))
        .doesNotContain("task-archive", "task-delete", "task-run");

    Object status =
        browser
            .driver()
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "const token = document.cookie.split('; ').find(c => c.startsWith('jasynq_csrf='));"
                    + "fetch('api/queues/mail:pause', {method: 'POST', headers: {'X-CSRF-Token':"
                    + " token ? token.split('=')[1] : ''}})"
                    + ".then(r => r.json().then(j => done(r.status + ' ' + j.error)));");
    assertThat(String.valueOf(status)).startsWith("403 ").containsIgnoringCase("read-only");
    assertThat(inspector.queueInfo("mail").paused()).isFalse();
  }
}
