package io.jasynq.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Inspector;
import io.jasynq.TaskOption;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard inside an application that has Spring Security (spring-boot-starter-security): the
 * application's filter chain authenticates its requests, Spring Security's CSRF filter lets its
 * changes through to the dashboard's own CSRF check, and still guards the rest of the application.
 */
class JasynqDashboardSecurityTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @RegisterExtension static final BootRedis redis = new BootRedis("jasynq.dashboard.enabled=true");

  /** Every request authenticated, with HTTP Basic, against one in-memory user. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class SecuredApp {
    @Bean
    SecurityFilterChain appSecurity(HttpSecurity http) throws Exception {
      return http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
          .httpBasic(Customizer.withDefaults())
          .build();
    }

    @Bean
    InMemoryUserDetailsManager users() {
      return new InMemoryUserDetailsManager(
          User.withUsername("ops").password("{noop}s3cret").roles("OPS").build());
    }
  }

  /** Spring Boot's default filter chain, with its {@code spring.security.user}. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class DefaultSecurityApp {}

  private static ConfigurableApplicationContext run(Class<?> app, String... properties) {
    return redis.runWeb(app, properties);
  }

  private static boolean paused(ConfigurableApplicationContext context, String queue) {
    return context.getBean(Inspector.class).queueInfo(queue).paused();
  }

  @Test
  void theApplicationsChainAuthenticatesAndTheDashboardChecksItsOwnCsrfToken() throws Exception {
    try (var context = run(SecuredApp.class)) {
      context.getBean(JasynqTemplate.class).enqueue("report", "1", TaskOption.queue("secured"));
      DashboardHttp anonymous = DashboardHttp.to(context);
      DashboardHttp ops = anonymous.as("ops", "s3cret");

      HttpResponse<String> refused = anonymous.get("/jasynq/api/queues");
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Basic"));
      assertThat(anonymous.as("ops", "wrong").get("/jasynq/api/queues").statusCode())
          .isEqualTo(401);
      assertThat(anonymous.post("/jasynq/api/queues/secured:pause", "t", "t").statusCode())
          .isEqualTo(401);

      HttpResponse<String> queues = ops.get("/jasynq/api/queues");
      assertThat(queues.statusCode()).as(queues.body()).isEqualTo(200);
      assertThat(queues.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
      JsonNode body = JSON.readTree(queues.body());
      assertThat(body.get("queues").findValuesAsString("queue")).contains("secured");

      String token = ops.csrfToken("/jasynq/");
      HttpResponse<String> noHeader = ops.post("/jasynq/api/queues/secured:pause", token, null);
      assertThat(noHeader.statusCode()).isEqualTo(403);
      assertThat(noHeader.body()).contains("CSRF check failed: the X-CSRF-Token header");
      HttpResponse<String> otherToken =
          ops.post("/jasynq/api/queues/secured:pause", token, "not-the-cookie");
      assertThat(otherToken.statusCode()).isEqualTo(403);
      assertThat(paused(context, "secured")).isFalse();

      HttpResponse<String> pause = ops.post("/jasynq/api/queues/secured:pause", token, token);
      assertThat(pause.statusCode()).as(pause.body()).isEqualTo(204);
      assertThat(paused(context, "secured")).isTrue();

      // Outside the dashboard, Spring Security's CSRF filter still refuses a POST without its
      // token. It runs before HTTP Basic authentication, so the refusal goes to the entry point:
      // 401 (a POST it let through would be authenticated, then not found).
      HttpResponse<String> elsewhere = ops.post("/elsewhere", token, token);
      assertThat(elsewhere.statusCode()).as(elsewhere.body()).isEqualTo(401);
    }
  }

  @Test
  void springBootsDefaultChainAlsoLetsTheDashboardsChangesThrough() throws Exception {
    try (var context =
        run(
            DefaultSecurityApp.class,
            "spring.security.user.name=ops",
            "spring.security.user.password=s3cret",
            "jasynq.dashboard.path=/admin/jobs")) {
      context.getBean(JasynqTemplate.class).enqueue("report", "1", TaskOption.queue("defaulted"));
      DashboardHttp ops = DashboardHttp.to(context).as("ops", "s3cret");
      String token = ops.csrfToken("/admin/jobs/");

      HttpResponse<String> pause = ops.post("/admin/jobs/api/queues/defaulted:pause", token, token);
      assertThat(pause.statusCode()).as(pause.body()).isEqualTo(204);
      assertThat(paused(context, "defaulted")).isTrue();
      HttpResponse<String> noHeader =
          ops.post("/admin/jobs/api/queues/defaulted:resume", token, null);
      assertThat(noHeader.statusCode()).isEqualTo(403);
      assertThat(noHeader.body()).contains("CSRF check failed");
      assertThat(paused(context, "defaulted")).isTrue();
    }
  }

  @Test
  void withTheExemptionOffSpringSecuritysCsrfFilterRefusesTheDashboardsChanges() throws Exception {
    try (var context =
        run(SecuredApp.class, "jasynq.dashboard.spring-security-csrf-exemption=false")) {
      context.getBean(JasynqTemplate.class).enqueue("report", "1", TaskOption.queue("guarded"));
      DashboardHttp ops = DashboardHttp.to(context).as("ops", "s3cret");
      assertThat(ops.get("/jasynq/api/queues").statusCode()).isEqualTo(200);
      String token = ops.csrfToken("/jasynq/");

      // Refused by Spring Security's CSRF filter, before HTTP Basic authentication: 401.
      HttpResponse<String> pause = ops.post("/jasynq/api/queues/guarded:pause", token, token);
      assertThat(pause.statusCode()).isEqualTo(401);
      assertThat(pause.body()).doesNotContain("CSRF check failed");
      assertThat(paused(context, "guarded")).isFalse();
    }
  }
}
