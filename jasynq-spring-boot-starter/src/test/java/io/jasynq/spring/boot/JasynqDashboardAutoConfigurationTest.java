package io.jasynq.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.Inspector;
import io.jasynq.TaskOption;
import io.jasynq.dashboard.Dashboard;
import io.jasynq.redis.RedisConnector;
import io.jasynq.testkit.Leaks;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard mounted by {@link JasynqDashboardAutoConfiguration} in a real Tomcat: opt-in, path,
 * read-only settings, close order and path validation. Spring Security: {@link
 * JasynqDashboardSecurityTest}.
 */
class JasynqDashboardAutoConfigurationTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @RegisterExtension static final BootRedis redis = new BootRedis(Apps.WITHOUT_SPRING_SECURITY);

  /** No task handler, so no server: seeded tasks stay where they are put. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class WebApp {}

  /** Records, as the context closes, what state the dashboard and the connector were in. */
  static class CloseOrder implements DestructionAwareBeanPostProcessor {
    final List<String> events = new CopyOnWriteArrayList<>();
    private volatile Dashboard dashboard;
    private volatile RedisConnector connector;

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
      if (bean instanceof Dashboard d) {
        dashboard = d;
      } else if (bean instanceof RedisConnector c) {
        connector = c;
      }
      return bean;
    }

    @Override
    public void postProcessBeforeDestruction(Object bean, String beanName) {
      if (bean instanceof Dashboard) {
        events.add("closing dashboard; connector " + state(connector.isClosed()));
      } else if (bean instanceof RedisConnector c) {
        events.add(
            "closing connector; connector "
                + state(c.isClosed())
                + ", dashboard "
                + state(dashboard.isClosed()));
      }
    }

    @Override
    public boolean requiresDestruction(Object bean) {
      return bean instanceof Dashboard || bean instanceof RedisConnector;
    }

    private static String state(boolean closed) {
      return closed ? "closed" : "open";
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class CloseOrderApp {
    @Bean
    static CloseOrder closeOrder() {
      return new CloseOrder();
    }
  }

  static ConfigurableApplicationContext run(Class<?> app, String... properties) {
    return redis.runWeb(app, properties);
  }

  private static JsonNode json(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    return JSON.readTree(response.body());
  }

  private static JsonNode queue(JsonNode queues, String name) {
    for (JsonNode q : queues.get("queues")) {
      if (q.get("queue").asString().equals(name)) {
        return q;
      }
    }
    throw new AssertionError("no queue " + name + " in " + queues);
  }

  @Test
  void isNotMountedUnlessEnabled() throws Exception {
    try (var context = run(WebApp.class)) {
      assertThat(context.getBeanNamesForType(Dashboard.class)).isEmpty();
      DashboardHttp http = DashboardHttp.to(context);
      assertThat(http.get("/jasynq/").statusCode()).isEqualTo(404);
      assertThat(http.get("/jasynq/api/queues").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void servesThePageAndTheQueuesAtTheConfiguredPath() throws Exception {
    try (var context =
        run(WebApp.class, "jasynq.dashboard.enabled=true", "jasynq.dashboard.path=/ops/queues")) {
      JasynqTemplate template = context.getBean(JasynqTemplate.class);
      template.enqueue("report", "1", TaskOption.queue("served-a"));
      template.enqueue("report", "2", TaskOption.queue("served-a"));
      template.enqueue(
          "report", "3", TaskOption.queue("served-b"), TaskOption.processIn(Duration.ofHours(1)));
      DashboardHttp http = DashboardHttp.to(context);

      HttpResponse<String> page = http.get("/ops/queues/");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
      assertThat(page.body()).contains("<html");
      assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
      HttpResponse<String> bare = http.get("/ops/queues");
      assertThat(bare.statusCode()).isEqualTo(302);
      assertThat(bare.headers().firstValue("Location"))
          .hasValueSatisfying(location -> assertThat(location).endsWith("/ops/queues/"));

      JsonNode queues = json(http.get("/ops/queues/api/queues"));
      assertThat(queue(queues, "served-a").get("pending").asLong()).isEqualTo(2);
      assertThat(queue(queues, "served-a").get("size").asLong()).isEqualTo(2);
      assertThat(queue(queues, "served-b").get("scheduled").asLong()).isEqualTo(1);
      assertThat(queue(queues, "served-b").get("pending").asLong()).isZero();
      JsonNode config = json(http.get("/ops/queues/api/config"));
      assertThat(config.get("read_only").asBoolean()).isFalse();

      String token = http.csrfToken("/ops/queues/");
      HttpResponse<String> pause = http.post("/ops/queues/api/queues/served-a:pause", token, token);
      assertThat(pause.statusCode()).as(pause.body()).isEqualTo(204);
      assertThat(context.getBean(Inspector.class).queueInfo("served-a").paused()).isTrue();
      assertThat(http.get("/jasynq/").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void readOnlyRefusesChanges() throws Exception {
    try (var context =
        run(WebApp.class, "jasynq.dashboard.enabled=true", "jasynq.dashboard.read-only=true")) {
      context.getBean(JasynqTemplate.class).enqueue("report", "1", TaskOption.queue("frozen"));
      DashboardHttp http = DashboardHttp.to(context);
      assertThat(json(http.get("/jasynq/api/config")).get("read_only").asBoolean()).isTrue();
      String token = http.csrfToken("/jasynq/");

      HttpResponse<String> pause = http.post("/jasynq/api/queues/frozen:pause", token, token);
      assertThat(pause.statusCode()).isEqualTo(403);
      assertThat(pause.body()).contains("read-only");
      assertThat(context.getBean(Inspector.class).queueInfo("frozen").paused()).isFalse();
    }
  }

  @Test
  void readOnlyQueuesRefuseChangesToThoseQueuesOnly() throws Exception {
    try (var context =
        run(
            WebApp.class,
            "jasynq.dashboard.enabled=true",
            "jasynq.dashboard.read-only-queues=locked,also-locked")) {
      JasynqTemplate template = context.getBean(JasynqTemplate.class);
      template.enqueue("report", "1", TaskOption.queue("locked"));
      template.enqueue("report", "2", TaskOption.queue("open"));
      DashboardHttp http = DashboardHttp.to(context);
      JsonNode config = json(http.get("/jasynq/api/config"));
      assertThat(config.get("read_only_queues").toString())
          .isEqualTo("[\"also-locked\",\"locked\"]");
      String token = http.csrfToken("/jasynq/");
      Inspector inspector = context.getBean(Inspector.class);

      assertThat(http.post("/jasynq/api/queues/locked:pause", token, token).statusCode())
          .isEqualTo(403);
      assertThat(http.post("/jasynq/api/queues/open:pause", token, token).statusCode())
          .isEqualTo(204);
      assertThat(inspector.queueInfo("locked").paused()).isFalse();
      assertThat(inspector.queueInfo("open").paused()).isTrue();
    }
  }

  @Test
  void closingTheContextClosesTheDashboardThenTheConnectorAndLeavesNothingRunning()
      throws Exception {
    Set<Thread> threads = Leaks.jasynqThreads();
    var connections = Leaks.clientConnections(redis.raw());
    CloseOrder order;
    Dashboard dashboard;
    RedisConnector connector;
    try (var context = run(CloseOrderApp.class, "jasynq.dashboard.enabled=true")) {
      order = context.getBean(CloseOrder.class);
      dashboard = context.getBean(Dashboard.class);
      connector = context.getBean(RedisConnector.class);
      JasynqTemplate template = context.getBean(JasynqTemplate.class);
      for (int i = 0; i < 50; i++) {
        template.enqueue("report", "payload-" + i, TaskOption.queue("closing"));
      }
      DashboardHttp http = DashboardHttp.to(context);
      String token = http.csrfToken("/jasynq/");
      // A search, so that the dashboard has had a thread of its own to stop.
      HttpResponse<String> search =
          http.post(
              "/jasynq/api/queues/closing/searches",
              "{\"state\":\"pending\",\"query\":\"payload-4\"}",
              token,
              token);
      assertThat(search.statusCode()).as(search.body()).isEqualTo(202);
      assertThat(Leaks.jasynqThreads())
          .anySatisfy(t -> assertThat(t.getName()).startsWith("jasynq-dashboard-search-"));
    }
    assertThat(order.events)
        .containsExactly(
            "closing dashboard; connector open",
            "closing connector; connector open, dashboard closed");
    assertThat(dashboard.isClosed()).isTrue();
    assertThat(connector.isClosed()).isTrue();
    Leaks.awaitNoNewJasynqThreads(threads, Duration.ofSeconds(5));
    Leaks.awaitNoNewClientConnections(redis.raw(), connections, Duration.ofSeconds(5));
  }

  @ParameterizedTest
  @ValueSource(strings = {"jasynq", "/jasynq/", "/jasynq/*", "/a//b", "/a/../b", "/with space"})
  void anInvalidPathFailsTheContextNamingThePropertyAndTheValue(String path) {
    assertThatThrownBy(
            () ->
                run(WebApp.class, "jasynq.dashboard.enabled=true", "jasynq.dashboard.path=" + path))
        .hasStackTraceContaining("jasynq.dashboard.path ")
        .hasStackTraceContaining("was '" + path + "'");
  }
}
