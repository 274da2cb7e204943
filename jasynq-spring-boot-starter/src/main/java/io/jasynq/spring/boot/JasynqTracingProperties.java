package io.jasynq.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code jasynq.tracing.*} settings of {@link JasynqTracingAutoConfiguration}. Bound once at
 * start; not thread-safe while being bound.
 *
 * @since 0.1
 */
@ConfigurationProperties("jasynq.tracing")
public class JasynqTracingProperties {
  /**
   * Whether tasks are traced (a producer span per enqueue, a consumer span per attempt) when the
   * application has an OpenTelemetry bean and jasynq-opentelemetry.
   */
  private boolean enabled = true;

  /**
   * Whether the consumer span is the producer span's child, in its trace; false: a new trace linked
   * to the producer span (the messaging conventions' choice).
   */
  private boolean consumerParent;

  /** Creates the settings with their defaults. */
  public JasynqTracingProperties() {}

  /** Whether tasks are traced; default true. */
  public boolean isEnabled() {
    return enabled;
  }

  /** Sets whether tasks are traced. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** Whether the consumer span is the producer span's child; default false. */
  public boolean isConsumerParent() {
    return consumerParent;
  }

  /** Sets whether the consumer span is the producer span's child. */
  public void setConsumerParent(boolean consumerParent) {
    this.consumerParent = consumerParent;
  }
}
