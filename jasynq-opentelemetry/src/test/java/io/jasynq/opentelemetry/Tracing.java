package io.jasynq.opentelemetry;

import io.jasynq.testkit.Eventually;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;

/**
 * An OpenTelemetry SDK for one test: W3C trace context and baggage propagation, every finished span
 * kept in memory.
 */
final class Tracing implements AutoCloseable {
  final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                  .build())
          .setPropagators(
              ContextPropagators.create(
                  TextMapPropagator.composite(
                      W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
          .build();

  /** The finished spans of {@code kind}, once there are {@code count} of them. */
  List<SpanData> await(SpanKind kind, int count) {
    Eventually.until(count + " " + kind + " spans", () -> spans(kind).size() >= count);
    return spans(kind);
  }

  List<SpanData> spans(SpanKind kind) {
    return exporter.getFinishedSpanItems().stream().filter(s -> s.getKind() == kind).toList();
  }

  @Override
  public void close() {
    sdk.close();
  }
}
