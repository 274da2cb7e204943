package io.jasynq.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.micrometer.JasynqMetrics;
import io.jasynq.micrometer.QueueMetrics;
import io.jasynq.opentelemetry.JasynqTelemetry;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.Leaks;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Metrics and tracing wired by the starter, with Boot's own MeterRegistry and OpenTelemetry
 * auto-configuration providing the registry and the SDK (so our conditions must run after theirs).
 */
class JasynqObservabilityTest {
  @RegisterExtension
  static final BootRedis redis =
      new BootRedis("jasynq.server.shutdown-timeout=1s", "jasynq.metrics.queue-interval=1s");

  @Test
  void processedTaskIsCountedInBootsRegistryAndQueueGaugesAppear() {
    Set<Thread> before = Leaks.jasynqThreads();
    try (var context = Apps.run(Apps.EmailApp.class, redis.properties())) {
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      context.getBean(JasynqTemplate.class).enqueue("email:welcome", new Apps.Welcome("a", 1));
      Eventually.until("one task counted", () -> processed(registry) == 1.0);
      assertThat(registry.find("jasynq.client.enqueue").timer()).isNotNull();
      assertThat(registry.find("jasynq.client.enqueue").timer().count()).isEqualTo(1);
      Eventually.until(
          "queue gauges of default",
          () -> registry.find("jasynq.queue.size").tag("queue", "default").gauge() != null);
    }
    Leaks.awaitNoNewJasynqThreads(before, Duration.ofSeconds(5));
  }

  private static double processed(MeterRegistry registry) {
    return registry.find("jasynq.tasks.processed").counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  @Test
  void metricsDisabledByPropertyGiveNoMetricsBeans() {
    try (var context =
        Apps.run(Apps.EmailApp.class, redis.properties("jasynq.metrics.enabled=false"))) {
      assertThat(context.getBeanProvider(JasynqMetrics.class).getIfAvailable()).isNull();
      assertThat(context.getBeanProvider(QueueMetrics.class).getIfAvailable()).isNull();
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      context.getBean(JasynqTemplate.class).enqueue("email:welcome", new Apps.Welcome("a", 1));
      Apps.Emails emails = context.getBean(Apps.Emails.class);
      Eventually.until("the handler ran", () -> !emails.received.isEmpty());
      assertThat(registry.find("jasynq.client.enqueue").timer()).isNull();
    }
  }

  /** The SDK's parts; Boot's OpenTelemetrySdkAutoConfiguration builds the OpenTelemetry bean. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(Apps.Emails.class)
  static class TracedApp {
    final InMemorySpanExporter spans = InMemorySpanExporter.create();

    @Bean
    InMemorySpanExporter spanExporter() {
      return spans;
    }

    @Bean(destroyMethod = "close")
    SdkTracerProvider tracerProvider() {
      return SdkTracerProvider.builder()
          .addSpanProcessor(SimpleSpanProcessor.create(spans))
          .build();
    }

    @Bean
    ContextPropagators propagators() {
      return ContextPropagators.create(W3CTraceContextPropagator.getInstance());
    }
  }

  @Test
  void enqueueAndProcessingAreTracedWithBootsOpenTelemetry() {
    try (var context = Apps.run(TracedApp.class, redis.properties())) {
      assertThat(context.getBean(JasynqTelemetry.class)).isNotNull();
      InMemorySpanExporter exporter = context.getBean(InMemorySpanExporter.class);
      context.getBean(JasynqTemplate.class).enqueue("email:welcome", new Apps.Welcome("a", 1));
      Eventually.until(
          "a process span", () -> span(exporter.getFinishedSpanItems(), "process default") != null);
      SpanData send = span(exporter.getFinishedSpanItems(), "send default");
      SpanData process = span(exporter.getFinishedSpanItems(), "process default");
      assertThat(send).isNotNull();
      assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
      assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
      assertThat(process.getLinks())
          .anySatisfy(
              link -> assertThat(link.getSpanContext().getSpanId()).isEqualTo(send.getSpanId()));
    }
  }

  @Test
  void tracingDisabledByPropertyGivesNoSpans() {
    try (var context =
        Apps.run(TracedApp.class, redis.properties("jasynq.tracing.enabled=false"))) {
      assertThat(context.getBeanProvider(JasynqTelemetry.class).getIfAvailable()).isNull();
      InMemorySpanExporter exporter = context.getBean(InMemorySpanExporter.class);
      context.getBean(JasynqTemplate.class).enqueue("email:welcome", new Apps.Welcome("a", 1));
      Apps.Emails emails = context.getBean(Apps.Emails.class);
      Eventually.until("the handler ran", () -> !emails.received.isEmpty());
      assertThat(exporter.getFinishedSpanItems()).isEmpty();
    }
  }

  private static SpanData span(List<SpanData> spans, String name) {
    return spans.stream().filter(s -> s.getName().equals(name)).findFirst().orElse(null);
  }
}
