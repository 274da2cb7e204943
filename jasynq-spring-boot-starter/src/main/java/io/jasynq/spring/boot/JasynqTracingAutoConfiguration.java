package io.jasynq.spring.boot;

import io.jasynq.EnqueueInterceptor;
import io.jasynq.Middleware;
import io.jasynq.opentelemetry.JasynqTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Traces tasks with the application's {@link OpenTelemetry} (see jasynq-opentelemetry): a {@link
 * JasynqTelemetry} bean, its {@link EnqueueInterceptor} (a {@code send <queue>} producer span per
 * enqueue, its context in the task's headers) and its {@link Middleware} (a {@code process <queue>}
 * consumer span per attempt), which the auto-configured client and server pick up. The middleware
 * comes first, so spans of the other middleware and of the handler nest in it.
 *
 * <p>Active when opentelemetry-api and jasynq-opentelemetry are on the classpath, there is an
 * {@code OpenTelemetry} bean (Boot's, from spring-boot-opentelemetry, or the application's) and
 * {@code jasynq.tracing.enabled} is not false. {@code jasynq.tracing.consumer-parent=true} makes
 * the consumer span the producer span's child instead of a linked new trace.
 *
 * @since 0.1
 */
@AutoConfiguration(
    after = JasynqAutoConfiguration.class,
    afterName =
        "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration")
@ConditionalOnClass({OpenTelemetry.class, JasynqTelemetry.class})
@ConditionalOnBean(OpenTelemetry.class)
@ConditionalOnProperty(name = "jasynq.tracing.enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(JasynqTracingProperties.class)
public class JasynqTracingAutoConfiguration {
  /** Order of the interceptor and middleware: first, after the metrics interceptor. */
  static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 200;

  /** Creates the auto-configuration; Spring calls it. */
  public JasynqTracingAutoConfiguration() {}

  /** The telemetry, reporting to the application's OpenTelemetry. */
  @Bean
  @ConditionalOnMissingBean
  JasynqTelemetry jasynqTelemetry(OpenTelemetry openTelemetry, JasynqTracingProperties properties) {
    return JasynqTelemetry.builder(openTelemetry)
        .consumerParent(properties.isConsumerParent())
        .build();
  }

  /** The producer spans of the auto-configured client. */
  @Bean
  @Order(ORDER)
  EnqueueInterceptor jasynqTracingEnqueueInterceptor(JasynqTelemetry telemetry) {
    return telemetry.enqueueInterceptor();
  }

  /** The consumer spans of the auto-configured server. */
  @Bean
  @Order(ORDER)
  Middleware jasynqTracingMiddleware(JasynqTelemetry telemetry) {
    return telemetry.middleware();
  }
}
