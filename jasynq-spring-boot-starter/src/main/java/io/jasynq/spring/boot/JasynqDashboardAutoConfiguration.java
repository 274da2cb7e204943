package io.jasynq.spring.boot;

import io.jasynq.dashboard.Dashboard;
import io.jasynq.redis.RedisConnector;
import jakarta.servlet.http.HttpServlet;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;

/**
 * The jasynq web dashboard ({@link Dashboard}), mounted at {@code jasynq.dashboard.path} (default
 * {@code /jasynq}), when jasynq-dashboard is on the class path, the application is a servlet web
 * application and {@code jasynq.dashboard.enabled=true}.
 *
 * <p>The dashboard borrows the {@link RedisConnector} bean: it never closes it, and Spring closes
 * the dashboard before the connector (the dashboard bean depends on it).
 *
 * <p><b>Spring Security.</b> When the application has Spring Security, its filter chain protects
 * the dashboard's path like any other: who may use the dashboard is the application's business. The
 * dashboard's changes are POSTs and DELETEs carrying its own CSRF token (the {@code jasynq_csrf}
 * cookie echoed in the {@code X-CSRF-Token} header, and a same-host {@code Origin}), which Spring
 * Security's CSRF filter does not know; so a {@code Customizer<HttpSecurity>} bean exempts {@code
 * <path>/**} from that filter (and only from it) in every chain built from Spring Security's {@code
 * HttpSecurity} bean. {@code jasynq.dashboard.spring-security-csrf-exemption=false} turns that off.
 *
 * @since 0.2
 */
@AutoConfiguration(after = JasynqAutoConfiguration.class)
@ConditionalOnClass({Dashboard.class, ServletRegistrationBean.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(name = "jasynq.dashboard.enabled", havingValue = "true")
@ConditionalOnBean(RedisConnector.class)
@EnableConfigurationProperties(JasynqDashboardProperties.class)
public class JasynqDashboardAutoConfiguration {
  /** The dashboard's bean name. */
  static final String DASHBOARD_BEAN = "jasynqDashboard";

  /** One path segment: letters, digits, '-', '.', '_', '~'. */
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._~-]+");

  /** Creates the auto-configuration; Spring calls it. */
  public JasynqDashboardAutoConfiguration() {}

  /** The dashboard on the connector bean, borrowed; closed before the connector. */
  @Bean(name = DASHBOARD_BEAN, destroyMethod = "close")
  @ConditionalOnMissingBean
  Dashboard jasynqDashboard(RedisConnector connector, JasynqDashboardProperties properties) {
    // The connector is injected, so Spring registers this bean as its dependent and destroys it
    // first: the dashboard's searches stop while the connection is still open.
    return Dashboard.builder()
        .connector(connector)
        .readOnly(properties.isReadOnly())
        .readOnlyQueues(readOnlyQueues(properties.getReadOnlyQueues()))
        .build();
  }

  /** Mounts the dashboard's servlet at {@code <path>/*}. */
  @Bean
  @ConditionalOnMissingBean(name = "jasynqDashboardServletRegistration")
  ServletRegistrationBean<HttpServlet> jasynqDashboardServletRegistration(
      Dashboard dashboard, JasynqDashboardProperties properties) {
    String path = path(properties.getPath());
    ServletRegistrationBean<HttpServlet> registration =
        new ServletRegistrationBean<>(dashboard.servlet(), under(path, "/*"));
    registration.setName(DASHBOARD_BEAN);
    return registration;
  }

  /** Exempts the dashboard from Spring Security's CSRF filter; see the class comment. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = "org.springframework.security.config.annotation.web.builders.HttpSecurity")
  @ConditionalOnProperty(
      name = "jasynq.dashboard.spring-security-csrf-exemption",
      havingValue = "true",
      matchIfMissing = true)
  static class SpringSecurityCsrfExemption {
    @Bean
    Customizer<HttpSecurity> jasynqDashboardCsrfExemption(JasynqDashboardProperties properties) {
      String pattern = under(path(properties.getPath()), "/**");
      return http -> http.csrf(csrf -> csrf.ignoringRequestMatchers(pattern));
    }
  }

  /** {@code path} followed by {@code suffix}, with one slash between them. */
  static String under(String path, String suffix) {
    return path.equals("/") ? suffix : path + suffix;
  }

  /**
   * The mount path, checked.
   *
   * @throws IllegalArgumentException naming the property, the value and the rule
   */
  static String path(String path) {
    String rule;
    if (path == null || path.isEmpty()) {
      rule = "must not be empty";
    } else if (!path.startsWith("/")) {
      rule = "must start with '/'";
    } else if (path.equals("/")) {
      return path;
    } else if (path.endsWith("/")) {
      rule = "must not end with '/' (unless it is '/')";
    } else if (path.indexOf('*') >= 0 || path.indexOf('?') >= 0 || path.indexOf('{') >= 0) {
      rule = "must hold no wildcard or pattern ('*', '?', '{')";
    } else if (!segmentsValid(path.substring(1))) {
      rule =
          "must be '/'-separated segments of letters, digits, '-', '.', '_' and '~'"
              + " (no empty, '.' or '..' segment)";
    } else {
      return path;
    }
    throw new IllegalArgumentException("jasynq.dashboard.path " + rule + ", was '" + path + "'");
  }

  private static boolean segmentsValid(String segments) {
    for (String segment : segments.split("/", -1)) {
      if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  private static List<String> readOnlyQueues(List<String> queues) {
    List<String> list = queues == null ? List.of() : queues;
    for (String queue : list) {
      if (queue == null || queue.isBlank()) {
        throw new IllegalArgumentException(
            "jasynq.dashboard.read-only-queues must hold non-blank queue names, was " + list);
      }
    }
    return list;
  }
}
