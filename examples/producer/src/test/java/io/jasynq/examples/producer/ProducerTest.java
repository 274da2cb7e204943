package io.jasynq.examples.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Inspector;
import io.jasynq.TaskInfo;
import io.jasynq.TaskState;
import io.jasynq.micrometer.MetricNames;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@RedisTest
class ProducerTest {

  @Test
  void enqueuesTheWelcomeTasksAndOneReminder(RedisServer redis, TestRedis inspect) {
    List<TaskInfo> enqueued = Producer.run(redis.uri(), 3, new SimpleMeterRegistry(), noop());

    assertThat(enqueued).hasSize(4);
    List<String> pending = inspect.lrange("asynq:{default}:pending");
    assertThat(pending)
        .containsExactlyInAnyOrderElementsOf(
            enqueued.subList(0, 3).stream().map(TaskInfo::id).toList());
    for (String id : pending) {
      assertThat(inspect.hget("asynq:{default}:t:" + id, "state")).isEqualTo("pending");
    }
    TaskInfo reminder = enqueued.get(3);
    assertThat(reminder.state()).isEqualTo(TaskState.SCHEDULED);
    assertThat(inspect.zrangeWithScores("asynq:{low}:scheduled")).containsOnlyKeys(reminder.id());
    assertThat(inspect.smembers("asynq:queues")).containsExactlyInAnyOrder("default", "low");
  }

  @Test
  void timesEveryEnqueue(RedisServer redis) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    Producer.run(redis.uri(), 3, registry, noop());

    assertThat(registry.find(MetricNames.CLIENT_ENQUEUE).tag("queue", "default").timer())
        .extracting(Timer::count)
        .isEqualTo(3L);
    assertThat(registry.find(MetricNames.CLIENT_ENQUEUE).tag("queue", "low").timer())
        .extracting(Timer::count)
        .isEqualTo(1L);
  }

  @Test
  void withoutAnOpenTelemetrySdkTheTasksCarryNoHeaders(RedisServer redis) {
    List<TaskInfo> enqueued = Producer.run(redis.uri(), 2, new SimpleMeterRegistry(), noop());

    assertThat(storedHeaders(redis, enqueued)).allSatisfy(headers -> assertThat(headers).isEmpty());
  }

  @Test
  void withAnOpenTelemetrySdkEachTaskCarriesItsProducerSpansTraceparent(RedisServer redis) {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    List<TaskInfo> enqueued;
    List<SpanData> producerSpans;
    try (OpenTelemetrySdk sdk = sdk(spans)) {
      enqueued = Producer.run(redis.uri(), 2, new SimpleMeterRegistry(), sdk);
      // Read before close(): shutting the exporter down clears what it holds.
      producerSpans =
          spans.getFinishedSpanItems().stream()
              .filter(s -> s.getKind() == SpanKind.PRODUCER)
              .toList();
    }

    assertThat(producerSpans).hasSize(enqueued.size());
    List<Map<String, String>> stored = storedHeaders(redis, enqueued);
    for (int i = 0; i < enqueued.size(); i++) {
      SpanData span = producerSpans.get(i);
      assertThat(stored.get(i))
          .as("headers of %s", enqueued.get(i).id())
          .containsOnlyKeys("traceparent")
          .containsEntry("traceparent", "00-" + span.getTraceId() + "-" + span.getSpanId() + "-01");
    }
  }

  private static OpenTelemetry noop() {
    return OpenTelemetry.noop();
  }

  private static OpenTelemetrySdk sdk(InMemorySpanExporter spans) {
    return OpenTelemetrySdk.builder()
        .setTracerProvider(
            SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
  }

  /** The headers of each task as Redis has them, read back through the public Inspector. */
  private static List<Map<String, String>> storedHeaders(
      RedisServer redis, List<TaskInfo> enqueued) {
    try (Inspector inspector = Inspector.connect(redis.uri())) {
      return enqueued.stream()
          .map(info -> inspector.taskInfo(info.queue(), info.id()).headers())
          .toList();
    }
  }
}
