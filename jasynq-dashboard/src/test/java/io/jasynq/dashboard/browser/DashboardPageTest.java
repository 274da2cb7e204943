package io.jasynq.dashboard.browser;

import static io.jasynq.TaskOption.group;
import static io.jasynq.TaskOption.header;
import static io.jasynq.TaskOption.maxRetry;
import static io.jasynq.TaskOption.processIn;
import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.retention;
import static io.jasynq.TaskOption.taskId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/**
 * The page in a real browser against a real Redis: every view, every action (checked in Redis
 * through the Inspector), XSS, search with progress and cancel, find by ID, dark mode. One Redis,
 * dashboard, jasynq Server (queue {@code work}) and browser for the class; each test uses its own
 * queues.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardPageTest {
  @RegisterExtension static final Browser browser = new Browser();

  static final String XSS_SCRIPT = "<script>alert(1)</script>";
  static final String XSS_IMG = "<img src=x onerror=window.__xss=1>";

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
                  if (page > 1 && holdScans.get()) {
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
    Browser.closeAll(scheduler, server, client, inspector, jetty, dashboard, redis);
  }

  @BeforeEach
  void openPage() {
    browser.openQuiet(jetty.url("/"));
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
    browser.click("range-30");
    browser.waiting().until(d -> browser.el("range-30").getAttribute("class").contains("on"));
    browser.click("range-1");
    browser.el("today-chart");
    browser.click("range-7");
    browser.el("history-chart");
    browser.screenshot("overview");
  }

  private void confirm() {
    browser.click("confirm-ok");
  }

  private void openQueue(String q, String state) {
    browser.route("#/queues/" + q + "/" + state);
    browser
        .waiting()
        .until(
            d ->
                !d.findElements(
                        By.cssSelector(
                            "[data-test=view-queue][data-queue="
                                + q
                                + "][data-state="
                                + state
                                + "]"))
                    .isEmpty());
    browser
        .waiting()
        .until(
            d ->
                !d.findElements(Browser.by("tasks-table")).isEmpty()
                    && !d.findElements(Browser.by("page-range")).isEmpty());
  }

  private int rows() {
    return browser.all("task-row").size();
  }

  private void waitRows(int n) {
    browser.waiting().until(d -> rows() == n);
  }

  @Test
  void queuePageShowsEveryStateWithPaging() {
    enqueue("paging", 25, "email:welcome");
    enqueue("paging", 2, "email:later", processIn(Duration.ofHours(3)));
    client.enqueue(Task.of("digest", "{\"user\":7}"), queue("paging"), group("user:7"));
    client.enqueue(Task.of("digest", "{\"user\":7}"), queue("paging"), group("user:7"));
    client.enqueue(Task.of("digest", "{\"user\":8}"), queue("paging"), group("user:8"));
    openQueue("paging", "pending");
    assertThat(browser.el("count-pending").getText()).isEqualTo("25");
    assertThat(browser.el("count-scheduled").getText()).isEqualTo("2");
    assertThat(browser.el("count-aggregating").getText()).isEqualTo("3");
    new org.openqa.selenium.support.ui.Select(browser.el("page-size")).selectByValue("10");
    browser.waitText("page-range", "1–10 of 25");
    waitRows(10);
    assertThat(browser.el("page-count").getText()).isEqualTo("3");
    browser.click("page-next");
    browser.waitText("page-range", "11–20 of 25");
    browser.el("page-input").sendKeys(Keys.chord(Keys.CONTROL, "a"), "3", Keys.ENTER);
    browser.waitText("page-range", "21–25 of 25");
    waitRows(5);
    browser.click("page-prev");
    browser.waitText("page-range", "11–20 of 25");
    new org.openqa.selenium.support.ui.Select(browser.el("page-size")).selectByValue("20");
    browser.waitText("page-range", "1–20 of 25");
    browser.screenshot("queue-pending");

    browser.click("tab-scheduled");
    openQueue("paging", "scheduled");
    waitRows(2);
    assertThat(browser.el("tasks-table").getText()).contains("email:later", "in 3h");

    browser.click("tab-aggregating");
    openQueue("paging", "aggregating");
    waitRows(2);
    new org.openqa.selenium.support.ui.Select(browser.el("group-picker")).selectByValue("user:8");
    browser
        .waiting()
        .until(d -> rows() == 1 && browser.el("tasks-table").getText().contains("user:8"));

    openQueue("work", "active");
    waitRows(1);
    assertThat(browser.el("tasks-table").getText()).contains("block", "{ \"report\" : 42 }");
    openQueue("work", "retry");
    assertThat(browser.el("error-message").getText())
        .contains("card declined: <b>insufficient funds</b>");
    openQueue("work", "archived");
    assertThat(browser.el("tasks-table").getText()).contains("fail", "1200", "card declined");
    browser.screenshot("queue-archived");
    openQueue("work", "completed");
    assertThat(browser.el("tasks-table").getText()).contains("email:send", "\"ok\"");
  }

  @Test
  void pauseResumeAndDeleteAQueueFromTheOverview() {
    enqueue("pausable", 1, "x");
    enqueue("doomed", 2, "x");
    browser.route("#/");
    browser.click("pause-pausable");
    Eventually.until("pausable paused", () -> inspector.queueInfo("pausable").paused());
    browser.click("resume-pausable");
    Eventually.until("pausable resumed", () -> !inspector.queueInfo("pausable").paused());
    browser.waitText("queues-table", "doomed");
    browser.click("delete-queue-doomed");
    browser.waitText("confirm-text", "2 tasks");
    browser.click("confirm-cancel");
    assertThat(inspector.queues()).contains("doomed");
    browser.click("delete-queue-doomed");
    confirm();
    Eventually.until("doomed deleted", () -> !inspector.queues().contains("doomed"));
    browser.waiting().until(d -> !browser.el("queues-table").getText().contains("doomed"));
  }

  @Test
  void actionsOnOneSelectedAndAllTasksChangeRedis() {
    enqueue("acts", 6, "job");
    openQueue("acts", "pending");
    waitRows(6);
    // Archive one.
    browser.clickFound(d -> browser.all("task-row").get(0).findElement(Browser.by("archive-one")));
    Eventually.until("one archived", () -> inspector.queueInfo("acts").archived() == 1);
    waitRows(5);
    // Delete two selected (confirmed).
    browser.clickFound(d -> browser.all("select-row").get(0));
    browser.clickFound(d -> browser.all("select-row").get(1));
    browser.waitText("selected-count", "2 selected");
    browser.click("delete-selected");
    confirm();
    Eventually.until("two deleted", () -> inspector.queueInfo("acts").pending() == 3);
    waitRows(3);
    // Select all, archive selected.
    browser.click("select-all");
    browser.waitText("selected-count", "3 selected");
    browser.click("archive-selected");
    Eventually.until("all archived", () -> inspector.queueInfo("acts").archived() == 4);
    // Archived: run one, then run all, then delete all.
    openQueue("acts", "archived");
    waitRows(4);
    browser.clickFound(d -> browser.all("task-row").get(0).findElement(Browser.by("run-one")));
    Eventually.until("one run", () -> inspector.queueInfo("acts").pending() == 1);
    waitRows(3);
    browser.click("run-all");
    browser.waitText("confirm-text", "Run all 3 archived");
    confirm();
    Eventually.until("all run", () -> inspector.queueInfo("acts").pending() == 4);
    openQueue("acts", "pending");
    waitRows(4);
    browser.click("archive-all");
    confirm();
    Eventually.until("all archived again", () -> inspector.queueInfo("acts").archived() == 4);
    openQueue("acts", "archived");
    browser.click("delete-all");
    confirm();
    Eventually.until("all deleted", () -> inspector.queueInfo("acts").size() == 0);
    browser.waitText("page-range", "of 0");

    // Scheduled: run one, delete one; aggregating: run all in a group.
    enqueue("acts2", 2, "later", processIn(Duration.ofHours(1)));
    client.enqueue(Task.of("g", "1"), queue("acts2"), group("grp"));
    client.enqueue(Task.of("g", "2"), queue("acts2"), group("grp"));
    openQueue("acts2", "scheduled");
    waitRows(2);
    browser.clickFound(d -> browser.all("task-row").get(0).findElement(Browser.by("run-one")));
    Eventually.until("scheduled run", () -> inspector.queueInfo("acts2").pending() == 1);
    waitRows(1);
    browser.clickFound(d -> browser.all("task-row").get(0).findElement(Browser.by("delete-one")));
    confirm();
    Eventually.until("scheduled deleted", () -> inspector.queueInfo("acts2").scheduled() == 0);
    openQueue("acts2", "aggregating");
    waitRows(2);
    browser.click("run-all");
    confirm();
    Eventually.until("group run", () -> inspector.queueInfo("acts2").pending() == 3);
  }

  @Test
  @Order(Integer.MAX_VALUE) // cancels the class's one active task, which other tests look at
  void cancelsTheActiveTaskAndShowsServersSchedulersAndRedis() {
    browser.route("#/servers");
    browser.el("workers");
    assertThat(browser.el("view-servers").getText()).contains("block", "work", "{\"report\":42}");
    assertThat(browser.el("server-busy").getText()).isEqualTo("1 / 4");
    browser.screenshot("servers");

    browser.route("#/schedulers");
    browser.waitText("entries", "report:daily");
    assertThat(browser.el("entries").getText()).contains("@every 1h");
    browser.click("entry-history");
    browser.el("history");
    browser.screenshot("schedulers");

    browser.route("#/redis");
    browser.waitText("redis-address", "127.0.0.1:" + redis.port());
    assertThat(browser.el("redis-stats").getText()).contains("VERSION");
    browser.el("info-filter").sendKeys("redis_version");
    browser.waiting().until(d -> browser.el("redis-info").getText().startsWith("redis_version"));
    browser.screenshot("redis");

    openQueue("work", "active");
    waitRows(1);
    browser.click("cancel-one");
    Eventually.until(
        "the active task was canceled and went to retry",
        () ->
            inspector.queueInfo("work").active() == 0 && inspector.queueInfo("work").retry() == 2);
  }

  @Test
  void payloadsRenderAsTextNeverAsHtml() {
    client.enqueue(
        Task.of("xss:" + XSS_IMG, XSS_SCRIPT),
        queue("xss"),
        taskId("xss-1"),
        header("x-note", XSS_IMG));
    openQueue("xss", "pending");
    waitRows(1);
    assertThat(browser.el("payload").getText()).isEqualTo(XSS_SCRIPT);
    assertThat(browser.el("tasks-table").getText()).contains("xss:" + XSS_IMG);
    assertThat(browser.driver().findElements(By.cssSelector("main img"))).isEmpty();
    browser.click("task-link");
    browser.waitText("payload", XSS_SCRIPT);
    assertThat(browser.el("headers").getText()).contains("x-note", XSS_IMG);
    assertThat(browser.el("task-type").getText()).isEqualTo("xss:" + XSS_IMG);
    assertThat(browser.driver().findElements(By.cssSelector("main img, main script"))).isEmpty();
    assertThatThrownBy(() -> browser.driver().switchTo().alert())
        .isInstanceOf(NoAlertPresentException.class);
    assertThat(browser.js("return window.__xss === undefined")).isEqualTo(true);
  }

  @Test
  void taskPageShowsEveryFieldAndFindByIdFindsIt() {
    StringBuilder big = new StringBuilder("{\"items\":[");
    for (int i = 0; i < 600; i++) {
      big.append(i == 0 ? "" : ",").append("{\"i\":").append(i).append("}");
    }
    big.append("]}");
    client.enqueue(
        Task.of("export:csv", big.toString()),
        queue("details"),
        taskId("find-me-42"),
        header("traceparent", "00-abc-01"),
        processIn(Duration.ofHours(1)));
    browser.el("find-input").sendKeys("find-me-42\n");
    browser.waitText("task-id", "find-me-42");
    assertThat(browser.el("field-queue").getText()).isEqualTo("details");
    assertThat(browser.el("field-state").getText()).isEqualTo("scheduled");
    assertThat(browser.el("field-next-process-at").getText()).isEqualTo("in 1h");
    assertThat(browser.el("payload-format").getText()).isEqualTo("json");
    assertThat(browser.el("headers").getText()).contains("traceparent", "00-abc-01");
    String cut = browser.el("payload").getText();
    assertThat(cut).startsWith("{\n  \"items\"");
    browser.click("payload-expand");
    browser.waiting().until(d -> browser.el("payload").getText().length() > cut.length());
    assertThat(browser.el("payload").getText()).contains("\"i\" : 599").endsWith("}");
    browser.el("copy-id");
    browser.screenshot("task");
    browser.js("window.scrollTo(0, 0)"); // the head's buttons, not under the sticky bar
    browser.click("task-run");
    Eventually.until("task run", () -> inspector.queueInfo("details").pending() == 1);

    browser.el("find-input").clear();
    browser.el("find-input").sendKeys("no-such-task\n");
    browser.waitText("find-none", "no-such-task");
  }

  @Test
  void searchesWithProgressAndCancelsAndCountsTypes() {
    for (int i = 0; i < 1200; i++) {
      client.enqueue(
          Task.of(i % 3 == 0 ? "email:welcome" : "email:digest", "{\"n\":" + i + "}"),
          queue("big"));
    }
    client.enqueue(Task.of("needle", "{\"secret\":\"haystack-needle\"}"), queue("big"));
    openQueue("big", "pending");
    browser.el("search-query").sendKeys("haystack-needle");
    new org.openqa.selenium.support.ui.Select(browser.el("search-in")).selectByValue("payload");
    browser.click("search-start");
    browser.waitText("search-progress-label", "done: 1,201 / 1,201 scanned");
    browser.waitText("search-summary", "1 match");
    assertThat(browser.el("search-results").getText()).contains("needle");

    browser.click("breakdown-start");
    browser.waitText("breakdown-progress-label", "done");
    browser.waiting().until(d -> browser.all("breakdown-row").size() == 3);
    assertThat(browser.all("breakdown-row").get(0).getText()).contains("email:digest", "800");
    browser.screenshot("queue-search");

    holdScans.set(true);
    try {
      browser.el("search-query").clear();
      browser.el("search-query").sendKeys("nothing-matches");
      browser.click("search-start");
      browser.waitText("search-progress-label", "running: 100 / 1,201 scanned");
      browser.click("search-cancel");
      scanGate.countDown();
      browser.waitText("search-progress-label", "cancelled");
    } finally {
      holdScans.set(false);
    }
  }

  @Test
  void darkModeTogglesAndIsRemembered() {
    assertThat(browser.js("return document.documentElement.classList.contains('dark')"))
        .isEqualTo(false);
    browser.click("theme-toggle");
    assertThat(browser.js("return document.documentElement.classList.contains('dark')"))
        .isEqualTo(true);
    browser.open(jetty.url("/"));
    assertThat(browser.js("return document.documentElement.classList.contains('dark')"))
        .isEqualTo(true);
    browser.waitText("queues-table", "work");
    browser.screenshot("overview-dark");
    browser.click("theme-toggle");
    assertThat(browser.js("return localStorage.getItem('jasynq.theme')")).isEqualTo("light");

    new org.openqa.selenium.support.ui.Select(browser.el("refresh-interval")).selectByValue("2");
    assertThat(browser.js("return localStorage.getItem('jasynq.refresh')")).isEqualTo("2");
    enqueue("live", 1, "x");
    browser.waitText("queues-table", "live");
  }
}
