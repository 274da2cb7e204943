package io.jasynq.spring.boot;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code jasynq.metrics.*} settings of {@link JasynqMetricsAutoConfiguration}. Bound once at
 * start; not thread-safe while being bound.
 *
 * @since 0.1
 */
@ConfigurationProperties("jasynq.metrics")
public class JasynqMetricsProperties {
  /** Default refresh interval of the queue gauges: 15 seconds. */
  public static final Duration DEFAULT_QUEUE_INTERVAL = Duration.ofSeconds(15);

  /**
   * Whether jasynq records Micrometer meters (task, enqueue and queue meters) when the application
   * has a MeterRegistry and jasynq-micrometer.
   */
  private boolean enabled = true;

  /** How often the queue gauges are read from Redis, >= 1 s. */
  private Duration queueInterval = DEFAULT_QUEUE_INTERVAL;

  /** Creates the settings with their defaults. */
  public JasynqMetricsProperties() {}

  /** Whether metrics are recorded; default true. */
  public boolean isEnabled() {
    return enabled;
  }

  /** Sets whether metrics are recorded. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** The queue gauges' refresh interval; default {@link #DEFAULT_QUEUE_INTERVAL}. */
  public Duration getQueueInterval() {
    return queueInterval;
  }

  /** Sets the queue gauges' refresh interval. */
  public void setQueueInterval(Duration queueInterval) {
    this.queueInterval = queueInterval;
  }
}
