package io.jasynq.spring.boot;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code jasynq.health.*} settings of the {@code jasynq} health indicator. Bound once at start;
 * not thread-safe while being bound.
 *
 * @since 0.1
 */
@ConfigurationProperties("jasynq.health")
public class JasynqHealthProperties {
  /** Default time a health check waits for Redis: 2 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  /** How long a health check waits for Redis to answer before it reports DOWN, > 0. */
  private Duration timeout = DEFAULT_TIMEOUT;

  /**
   * Health is DOWN when a queue's latency (the age of its oldest pending task) exceeds this. Unset:
   * latency is not checked.
   */
  private @Nullable Duration maxQueueLatency;

  /** Creates the settings with their defaults. */
  public JasynqHealthProperties() {}

  /** The Redis answer timeout; default {@link #DEFAULT_TIMEOUT}. */
  public Duration getTimeout() {
    return timeout;
  }

  /** Sets the Redis answer timeout. */
  public void setTimeout(Duration timeout) {
    this.timeout = timeout;
  }

  /** The latency threshold, or null when latency is not checked. */
  public @Nullable Duration getMaxQueueLatency() {
    return maxQueueLatency;
  }

  /** Sets the latency threshold. */
  public void setMaxQueueLatency(@Nullable Duration maxQueueLatency) {
    this.maxQueueLatency = maxQueueLatency;
  }
}
