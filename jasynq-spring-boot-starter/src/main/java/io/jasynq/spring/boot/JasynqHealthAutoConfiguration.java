package io.jasynq.spring.boot;

import io.jasynq.Inspector;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code jasynq} health indicator ({@link JasynqHealthIndicator}), when spring-boot-health is
 * on the classpath (spring-boot-starter-actuator brings it) and {@code
 * management.health.jasynq.enabled} is not false. Its bean is named {@code jasynqHealthIndicator},
 * so the contributor is {@code jasynq}.
 *
 * @since 0.1
 */
@AutoConfiguration(after = JasynqAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Inspector.class)
@ConditionalOnEnabledHealthIndicator("jasynq")
@EnableConfigurationProperties(JasynqHealthProperties.class)
public class JasynqHealthAutoConfiguration {
  /** Creates the auto-configuration; Spring calls it. */
  public JasynqHealthAutoConfiguration() {}

  /** Redis reachable, server running, queue latency below the threshold. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(name = "jasynqHealthIndicator")
  JasynqHealthIndicator jasynqHealthIndicator(
      Inspector inspector,
      ObjectProvider<JasynqServerLifecycle> lifecycle,
      JasynqHealthProperties properties) {
    Duration timeout = properties.getTimeout();
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("jasynq.health.timeout must be > 0, was " + timeout);
    }
    Duration max = properties.getMaxQueueLatency();
    if (max != null && max.isNegative()) {
      throw new IllegalArgumentException(
          "jasynq.health.max-queue-latency must be >= 0, was " + max);
    }
    return new JasynqHealthIndicator(inspector, lifecycle.getIfAvailable(), timeout, max);
  }
}
