package io.jasynq.dashboard.browser;

import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.taskId;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.Page;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.TaskState;
import io.jasynq.dashboard.Dashboard;
import io.jasynq.testkit.Poison;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Hostile records ({@link Poison}) beside valid tasks: the page still renders every valid row,
 * marks each bad row with ⚠ whose title is the problem, and the overview still renders a queue
 * whose statistics partly fail. A payload that is not UTF-8 shows as a hex dump.
 */
class MalformedRowsPageTest {
  @RegisterExtension static final Browser browser = new Browser();

  private static final String Q = "mixed";
  private static final List<Poison.Kind> PENDING_KINDS =
      List.of(
          Poison.Kind.TASK_KEY_STRING,
          Poison.Kind.DANGLING,
          Poison.Kind.NO_MSG,
          Poison.Kind.UNDECODABLE,
          Poison.Kind.ID_MISSING);
  private static final byte[] BINARY = {
    (byte) 0xFF, (byte) 0xFE, 0x00, 0x01, 'j', 'a', 's', 'y', 'n', 'q', (byte) 0xC3, 0x28
  };

  private static RedisServer redis;
  private static TestRedis raw;
  private static Dashboard dashboard;
  private static Jetty jetty;
  private static Inspector inspector;
  private static List<Poison.Record> pendingPoison;
  private static Poison.Record activePoison;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    raw = TestRedis.connect(redis.uri());
    try (Client client = Client.connect(redis.uri())) {
      client.enqueue(Task.of("email:welcome", "{\"user\":1}"), queue(Q), taskId("good-1"));
      client.enqueue(Task.of("email:digest", "{\"user\":2}"), queue(Q), taskId("good-2"));
      client.enqueue(Task.of("blob:upload", BINARY), queue(Q), taskId("binary-1"));
      client.enqueue(Task.of("ok", "{}"), queue("healthy"));
    }
    Poison poison = Poison.into(raw, Instant.now());
    Random random = new Random(7);
    pendingPoison =
        PENDING_KINDS.stream().map(k -> poison.write(k, Q, 1, "good-1", random)).toList();
    activePoison = poison.write(Poison.Kind.ACTIVE_UNDECODABLE, Q, 1, "good-1", random);
    // The retry set is a string: that one count fails, the rest of the queue's stats do not.
    raw.commands().set("asynq:{" + Q + "}:retry", "not a zset".getBytes(StandardCharsets.UTF_8));
    dashboard = Dashboard.builder().uri(redis.uri()).build();
    jetty = Jetty.start(dashboard);
    inspector = Inspector.connect(redis.uri());
  }

  @AfterAll
  static void stop() {
    Browser.closeAll(inspector, jetty, dashboard, raw, redis);
  }

  @BeforeEach
  void openPage() {
    browser.openQuiet(jetty.url("/"));
  }

  private static WebElement row(String id) {
    return browser.driver().findElements(By.cssSelector("[data-test=task-row]")).stream()
        .filter(r -> id.equals(r.getAttribute("data-id")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row for task " + id));
  }

  /** What the Inspector reports for each task of a state, by ID. */
  private static Map<String, TaskInfo> byId(TaskState state) {
    return inspector.listTasks(Q, state, Page.all()).stream()
        .collect(Collectors.toMap(TaskInfo::id, Function.identity(), (a, b) -> a));
  }

  @Test
  void validRowsRenderAndBadRowsCarryTheirProblem() {
    Map<String, TaskInfo> pending = byId(TaskState.PENDING);
    List<TaskInfo> bad = pending.values().stream().filter(t -> !t.problems().isEmpty()).toList();
    assertThat(bad).hasSizeGreaterThanOrEqualTo(3);

    browser.route("#/queues/" + Q + "/pending?size=50");
    browser.waiting().until(d -> browser.all("task-row").size() == pending.size());
    for (String good : List.of("good-1", "good-2", "binary-1")) {
      WebElement r = row(good);
      assertThat(r.findElements(Browser.by("problem"))).as(good).isEmpty();
      assertThat(r.findElement(Browser.by("task-link")).getText()).isEqualTo(good);
    }
    assertThat(row("good-1").getText()).contains("email:welcome", "{ \"user\" : 1 }");
    assertThat(row("good-2").getText()).contains("email:digest");
    for (TaskInfo t : bad) {
      WebElement marker = row(t.id()).findElement(Browser.by("problem"));
      assertThat(marker.getText()).isEqualTo("⚠");
      assertThat(marker.getAttribute("title")).isEqualTo(String.join("\n", t.problems()));
    }
    Poison.Record noMsg =
        pendingPoison.stream()
            .filter(r -> r.kind() == Poison.Kind.NO_MSG)
            .findFirst()
            .orElseThrow();
    assertThat(row(noMsg.id()).findElement(Browser.by("problem")).getAttribute("title"))
        .contains("msg");
    Poison.Record keyString =
        pendingPoison.stream()
            .filter(r -> r.kind() == Poison.Kind.TASK_KEY_STRING)
            .findFirst()
            .orElseThrow();
    assertThat(row(keyString.id()).findElement(Browser.by("problem")).getAttribute("title"))
        .contains("string");
    browser.screenshot("queue-malformed");

    browser.click("tab-active");
    browser
        .waiting()
        .until(d -> "active".equals(browser.el("view-queue").getAttribute("data-state")));
    browser
        .waiting()
        .until(
            d ->
                browser.all("task-row").stream()
                    .anyMatch(r -> activePoison.id().equals(r.getAttribute("data-id"))));
    WebElement active = row(activePoison.id()).findElement(Browser.by("problem"));
    assertThat(active.getAttribute("title"))
        .isEqualTo(String.join("\n", byId(TaskState.ACTIVE).get(activePoison.id()).problems()))
        .contains("decode");

    // The retry set is a string: the tab's one row is that problem, and so is the header's mark.
    browser.click("tab-retry");
    browser
        .waiting()
        .until(d -> "retry".equals(browser.el("view-queue").getAttribute("data-state")));
    browser.waiting().until(d -> browser.all("task-row").size() == 1);
    String wrongType = "asynq:{" + Q + "}:retry is a string, not a zset";
    assertThat(browser.el("task-row").findElement(Browser.by("problem")).getAttribute("title"))
        .contains(wrongType);
    assertThat(browser.el("count-retry").getText()).isEqualTo("0");
    assertThat(
            browser
                .el("view-queue")
                .findElement(By.cssSelector(".view-head [data-test=problem]"))
                .getAttribute("title"))
        .contains("asynq:{" + Q + "}:retry");
    browser.screenshot("queue-malformed-retry");
  }

  @Test
  void theOverviewRendersAQueueWhoseStatsPartlyFail() {
    browser.waitText("queues-table", Q);
    WebElement mixed =
        browser.driver().findElement(By.cssSelector("[data-test=queue-row][data-queue=" + Q + "]"));
    assertThat(mixed.findElement(Browser.by("problem")).getAttribute("title"))
        .contains("asynq:{" + Q + "}:retry");
    assertThat(mixed.findElement(Browser.by("queue-size")).getText())
        .isEqualTo(String.valueOf(inspector.queueInfo(Q).size()));
    WebElement healthy =
        browser.driver().findElement(By.cssSelector("[data-test=queue-row][data-queue=healthy]"));
    assertThat(healthy.findElements(Browser.by("problem"))).isEmpty();
    assertThat(healthy.findElement(Browser.by("queue-size")).getText()).isEqualTo("1");
    browser.screenshot("overview-malformed");
  }

  @Test
  void aPayloadThatIsNotUtf8ShowsAsHex() {
    browser.route("#/queues/" + Q + "/tasks/binary-1");
    browser.waitText("task-id", "binary-1");
    assertThat(browser.el("payload-format").getText()).isEqualTo("hex");
    assertThat(browser.el("payload").getText())
        .isEqualTo("00000000  ff fe 00 01 6a 61 73 79  6e 71 c3 28              |....jasynq.(|");
    assertThat(browser.all("task-problems")).isEmpty();
    browser.screenshot("task-hex");
  }
}
