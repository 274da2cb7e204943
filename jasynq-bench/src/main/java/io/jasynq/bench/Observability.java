package io.jasynq.bench;

import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.ServerConfig;
import io.jasynq.micrometer.JasynqMetrics;
import io.jasynq.micrometer.QueueMetrics;
import io.jasynq.opentelemetry.JasynqTelemetry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * What a process scenario runs with: nothing, the Micrometer binder (a Prometheus registry, as
 * production runs it, with the queue gauges), OpenTelemetry tracing (the SDK, every span sampled,
 * batched and exported to a sink that counts them), or both. Closed after the scenario.
 */
final class Observability implements AutoCloseable {
  enum Mode {
    NONE(""),
    METRICS("-metrics"),
    TRACING("-tracing"),
    BOTH("-observed");

    final String suffix;

    Mode(String suffix) {
      this.suffix = suffix;
    }

    boolean metrics() {
      return this == METRICS || this == BOTH;
    }

    boolean tracing() {
      return this == TRACING || this == BOTH;
    }
  }

  private final Mode mode;
  private final @Nullable PrometheusMeterRegistry registry;
  private final @Nullable JasynqMetrics metrics;
  private final @Nullable OpenTelemetrySdk sdk;
  private final @Nullable JasynqTelemetry telemetry;
  private final AtomicLong spans = new AtomicLong();
  private @Nullable Inspector inspector;
  private @Nullable QueueMetrics queues;

  Observability(Mode mode) {
    this.mode = mode;
    this.registry = mode.metrics() ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : null;
    this.metrics = registry == null ? null : JasynqMetrics.builder(registry).build();
    this.sdk = mode.tracing() ? sdk(spans) : null;
    this.telemetry = sdk == null ? null : JasynqTelemetry.builder(sdk).build();
  }

  private static OpenTelemetrySdk sdk(AtomicLong spans) {
    SpanExporter sink =
        new SpanExporter() {
          @Override
          public CompletableResultCode export(Collection<SpanData> batch) {
            spans.addAndGet(batch.size());
            return CompletableResultCode.ofSuccess();
          }

          @Override
          public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
          }

          @Override
          public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
          }
        };
    return OpenTelemetrySdk.builder()
        .setTracerProvider(
            SdkTracerProvider.builder()
                .setSampler(
                    io.opentelemetry.sdk.trace.samplers.Sampler.parentBased(
                        io.opentelemetry.sdk.trace.samplers.Sampler.traceIdRatioBased(
                            Double.parseDouble(
                                System.getProperty("jasynq.bench.traceRatio", "1.0")))))
                .addSpanProcessor(BatchSpanProcessor.builder(sink).build())
                .build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
  }

  /** A client on {@code uri} with this mode's interceptors. */
  Client client(String uri) {
    Client.Builder b = Client.builder().uri(uri);
    if (metrics != null) {
      b.interceptor(metrics.enqueueInterceptor());
    }
    if (telemetry != null) {
      b.interceptor(telemetry.enqueueInterceptor());
    }
    return b.build();
  }

  /** {@code config} with this mode's listener, middleware and (for metrics) queue gauges. */
  ServerConfig server(ServerConfig config, String uri) {
    ServerConfig.Builder b = config.toBuilder();
    if (metrics != null) {
      b.listener(metrics.serverListener());
      inspector = Inspector.connect(uri);
      queues = metrics.bindQueues(inspector, Duration.ofSeconds(15));
    }
    if (telemetry != null) {
      b.middleware(telemetry.middleware());
    }
    return b.build();
  }

  /** What the mode recorded, for the JSON line: meters and exported spans. */
  void report(JsonLine line) {
    line.put("observability", mode.name().toLowerCase(java.util.Locale.ROOT));
    if (registry != null) {
      line.put("meters", registry.getMeters().size());
    }
    if (sdk != null) {
      sdk.getSdkTracerProvider().forceFlush().join(10, java.util.concurrent.TimeUnit.SECONDS);
      line.put("spans_exported", spans.get());
    }
  }

  @Override
  public void close() {
    if (queues != null) {
      queues.close();
    }
    if (inspector != null) {
      inspector.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (sdk != null) {
      sdk.close();
    }
  }
}
