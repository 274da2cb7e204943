package io.jasynq.dashboard.browser;

import static io.jasynq.TaskOption.maxRetry;
import static io.jasynq.TaskOption.processIn;
import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.retention;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.RetryDelay;
import io.jasynq.Scheduler;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.TaskOption;
import io.jasynq.dashboard.Dashboard;
import io.jasynq.dashboard.ScanSeam;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.RedisServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The page in a real browser against a real Redis: every view, every action (checked in Redis
 * through the Inspector), XSS, search with progress and cancel, find by ID, dark mode. One Redis,
 * dashboard, jasynq Server (queue {@code work}) and browser for the class; each test uses its own
 * queues.
 */
class DashboardPageTest {
  @RegisterExtension static final Browser browser = new Browser();

  static final String XSS_SCRIPT = "<script>alert(1)</script>";
  static final String XSS_IMG = "<img src=x onerror=alert(2)>";

  private static RedisServer redis;
  private static Dashboard dashboard;
  private static Jetty jetty;
  private static Inspector inspector;
  private static Client client;
  private static Server server;
  private static Scheduler scheduler;
  private static final CountDownLatch release = new CountDownLatch(1);
  private static final CountDownLatch scanGate = new CountDownLatch(1);
  private static final AtomicBoolean holdScans = new AtomicBoolean();

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    dashboard =
        ScanSeam.beforeScanPage(
                Dashboard.builder().uri(redis.uri()),
                page -> {
                  if (page > 0 && holdScans.get()) {
                    try {
                      scanGate.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }
                })
            .build();
    jetty = Jetty.start(dashboard);
    inspector = Inspector.connect(redis.uri());
    client = Client.connect(redis.uri());
    seedWork();
    scheduler = Scheduler.connect(redis.uri());
    scheduler.register("@every 1h", Task.of("report:daily", "{\"kind\":\"daily\"}"));
    scheduler.start();
  }

  /** Queue "work", served: one blocked (active) task, archived, retry and completed tasks. */
  private static void seedWork() {
    server =
        Server.connect(
            redis.uri(),
            ServerConfig.builder()
                .concurrency(4)
                .queue("work", 1)
                .retryDelay(RetryDelay.constant(Duration.ofHours(1)))
                .build());
    server.start(
        ctx -> {
          switch (ctx.task().type()) {
            case "block" -> {
              while (!release.await(50, TimeUnit.MILLISECONDS)) {
                if (ctx.isCancelled()) {
                  throw new IllegalStateException("canceled from the dashboard");
                }
              }
            }
            case "fail" ->
                throw new IllegalStateException("card declined: <b>insufficient funds</b>");
            default -> ctx.writeResult("{\"ok\":true,\"rows\":12}".getBytes());
          }
        });
    client.enqueue(
        Task.of("email:send", "{\"to\":\"a@example.com\"}"),
        queue("work"),
        retention(Duration.ofHours(1)));
    client.enqueue(Task.of("fail", "{\"amount\":1200}"), queue("work"), maxRetry(0));
    client.enqueue(Task.of("fail", "{\"amount\":300}"), queue("work"), maxRetry(5));
    client.enqueue(Task.of("block", "{\"report\":42}"), queue("work"), maxRetry(1));
    Eventually.until(
        "queue work has a completed, an archived, a retry and an active task, and a server",
        () -> {
          var w = inspector.queueInfo("work");
          return w.completed() == 1
              && w.archived() == 1
              && w.retry() == 1
              && w.active() == 1
              && !inspector.servers().isEmpty();
        });
  }

  @AfterAll
  static void stop() {
    release.countDown();
    scanGate.countDown();
    if (scheduler != null) {
      scheduler.close();
    }
    if (server != null) {
      server.close();
    }
    if (client != null) {
      client.close();
    }
    if (inspector != null) {
      inspector.close();
    }
    if (jetty != null) {
      jetty.close();
    }
    if (dashboard != null) {
      dashboard.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @BeforeEach
  void openPage() {
    browser.open(jetty.url("/"));
    browser.js(
        "localStorage.setItem('jasynq.refresh', '0'); localStorage.setItem('jasynq.theme', 'light')");
    browser.open(jetty.url("/"));
  }

  private static void enqueue(String q, int n, String type, TaskOption... more) {
    for (int i = 0; i < n; i++) {
      TaskOption[] opts = new TaskOption[more.length + 1];
      opts[0] = queue(q);
      System.arraycopy(more, 0, opts, 1, more.length);
      client.enqueue(Task.of(type, "{\"n\":" + i + "}"), opts);
    }
  }

  private static WebElement queueRow(String q) {
    return browser
        .driver()
        .findElement(By.cssSelector("[data-test=queue-row][data-queue=" + q + "]"));
  }

  @Test
  void overviewListsQueuesWithChartsAndTotals() {
    enqueue("emails", 12, "email:welcome");
    enqueue("emails", 3, "email:digest", processIn(Duration.ofHours(2)));
    enqueue("payments", 4, "payment:charge");
    browser.route("#/");
    browser.waitText("queues-table", "emails");
    assertThat(browser.el("queues-table").getText()).contains("payments", "work");
    WebElement emails = queueRow("emails");
    assertThat(emails.findElement(Browser.by("queue-size")).getText()).isEqualTo("15");
    assertThat(emails.findElement(Browser.by("queue-status")).getText()).isEqualTo("running");
    assertThat(browser.el("size-chart").getText()).contains("emails", "payments", "Pending");
    WebElement chart = browser.el("history-chart");
    assertThat(chart.findElements(By.tagName("canvas"))).isNotEmpty();
    browser.el("range-30").click();
    browser.waiting().until(d -> browser.el("range-30").getAttribute("class").contains("on"));
    browser.el("range-1").click();
    browser.el("today-chart");
    browser.el("range-7").click();
    browser.el("history-chart");
    browser.screenshot("overview");
  }
}
