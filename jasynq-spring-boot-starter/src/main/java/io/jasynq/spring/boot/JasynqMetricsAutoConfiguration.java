package io.jasynq.spring.boot;

import io.jasynq.EnqueueInterceptor;
import io.jasynq.Inspector;
import io.jasynq.ServerListener;
import io.jasynq.micrometer.JasynqMetrics;
import io.jasynq.micrometer.QueueMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
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
 * Records jasynq's Micrometer meters (see jasynq-micrometer) in the application's {@link
 * MeterRegistry}: a {@link JasynqMetrics}, its {@link ServerListener} and {@link
 * EnqueueInterceptor} as beans (which the auto-configured server and client pick up) and the queue
 * gauges of the {@link Inspector}, refreshed every {@code jasynq.metrics.queue-interval} (15 s) by
 * a {@code jasynq-metrics} thread that stops when the context closes.
 *
 * <p>Active when micrometer-core and jasynq-micrometer are on the classpath, there is a {@code
 * MeterRegistry} bean (Boot's, from spring-boot-micrometer-metrics, or the application's) and
 * {@code jasynq.metrics.enabled} is not false.
 *
 * @since 0.1
 */
@AutoConfiguration(
    after = JasynqAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
    })
@ConditionalOnClass({MeterRegistry.class, JasynqMetrics.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(name = "jasynq.metrics.enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(JasynqMetricsProperties.class)
public class JasynqMetricsAutoConfiguration {
  /** Order of the interceptor: early, so that it times the interceptors after it. */
  static final int INTERCEPTOR_ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

  /** Creates the auto-configuration; Spring calls it. */
  public JasynqMetricsAutoConfiguration() {}

  /** The meters, recorded to the application's registry. */
  @Bean
  @ConditionalOnMissingBean
  JasynqMetrics jasynqMetrics(MeterRegistry registry) {
    return JasynqMetrics.builder(registry).build();
  }

  /** Times every enqueue of the auto-configured client. */
  @Bean
  @Order(INTERCEPTOR_ORDER)
  EnqueueInterceptor jasynqMetricsEnqueueInterceptor(JasynqMetrics metrics) {
    return metrics.enqueueInterceptor();
  }

  /** Records the attempts and outcomes of the auto-configured server. */
  @Bean
  @Order(INTERCEPTOR_ORDER)
  ServerListener jasynqMetricsServerListener(JasynqMetrics metrics) {
    return metrics.serverListener();
  }

  /** The queue gauges; closed (thread stopped, meters removed) when the context closes. */
  @Bean(destroyMethod = "close")
  @ConditionalOnBean(Inspector.class)
  @ConditionalOnMissingBean
  QueueMetrics jasynqQueueMetrics(
      JasynqMetrics metrics, Inspector inspector, JasynqMetricsProperties properties) {
    Duration interval = properties.getQueueInterval();
    if (interval == null || interval.compareTo(QueueMetrics.MIN_INTERVAL) < 0) {
      throw new IllegalArgumentException(
          "jasynq.metrics.queue-interval must be >= 1s, was " + interval);
    }
    return metrics.bindQueues(inspector, interval);
  }
}
