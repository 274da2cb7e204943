package io.jasynq.opentelemetry;

import io.jasynq.EnqueueInterceptor;
import io.jasynq.Middleware;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.Objects;

/**
 * Traces tasks across Redis, after the OpenTelemetry messaging semantic conventions: a producer
 * span when a task is enqueued, its context carried in the task's headers, and a consumer span
 * around the handler.
 *
 * <pre>{@code
 * JasynqTelemetry telemetry = JasynqTelemetry.builder(openTelemetry).build();
 * Client client = Client.builder().uri(uri).interceptor(telemetry.enqueueInterceptor()).build();
 * ServerConfig config = ServerConfig.builder().middleware(telemetry.middleware()).build();
 * }</pre>
 *
 * <p>Spans are made by the tracer named {@value #INSTRUMENTATION_NAME} and the context is written
 * and read by {@code openTelemetry.getPropagators().getTextMapPropagator()} (W3C {@code
 * traceparent}, {@code tracestate} and {@code baggage} with the usual setup). The headers travel in
 * the task message (field 15), which Go Asynq v0.26+ keeps as is, so a task enqueued by Go with a
 * {@code traceparent} header continues its trace here.
 *
 * <p>Immutable and thread-safe; it owns nothing and needs no closing. The OpenTelemetry instance
 * stays the caller's.
 *
 * @since 0.1
 */
public final class JasynqTelemetry {
  /** The instrumentation scope name of the tracer. */
  public static final String INSTRUMENTATION_NAME = "io.jasynq.opentelemetry";

  private final EnqueueInterceptor enqueueInterceptor;
  private final Middleware middleware;
  private final boolean consumerParent;

  private JasynqTelemetry(Builder b) {
    Tracer tracer = b.openTelemetry.getTracer(INSTRUMENTATION_NAME);
    TextMapPropagator propagator = b.openTelemetry.getPropagators().getTextMapPropagator();
    this.enqueueInterceptor = new ProducerInterceptor(tracer, propagator);
    this.middleware = new ConsumerMiddleware(tracer, propagator, b.consumerParent);
    this.consumerParent = b.consumerParent;
  }

  /**
   * A builder for telemetry that reports to {@code openTelemetry}.
   *
   * @throws NullPointerException if {@code openTelemetry} is null
   */
  public static Builder builder(OpenTelemetry openTelemetry) {
    return new Builder(Objects.requireNonNull(openTelemetry, "openTelemetry == null"));
  }

  /**
   * The client interceptor: for each task, a {@code PRODUCER} span named {@code send <queue>} (or
   * {@code create <queue>}, one per task, in a batch enqueue), a child of the caller's current
   * span. Its context is added to the task's headers, replacing any of the same name. The span ends
   * when Redis has answered, with the task ID as {@code messaging.message.id}, or with status ERROR
   * and the exception when the enqueue fails. The returned future completes exactly as the
   * enqueue's does. Add it with {@code Client.Builder#interceptor}.
   */
  public EnqueueInterceptor enqueueInterceptor() {
    return enqueueInterceptor;
  }

  /**
   * The server middleware: a {@code CONSUMER} span named {@code process <queue>} around each
   * attempt, current while the handler runs so that the handler's spans nest in it. It is linked to
   * the producer span whose context the task's headers carry (a new trace), or its child with
   * {@link Builder#consumerParent(boolean) consumerParent(true)}; without a valid context it has no
   * link and no remote parent. A retry is a span of its own, linked to (or a child of) the same
   * producer span. When the handler throws, the span gets status ERROR, the exception, {@code
   * error.type} and {@code jasynq.task.will_retry} (retries left and neither {@code
   * SkipRetryException} nor {@code RevokeTaskException}; a {@code ServerConfig} {@code isFailure}
   * predicate is not taken into account), and the same exception is rethrown unchanged. Add it with
   * {@code ServerConfig.Builder#middleware} or {@code ServeMux#use}.
   */
  public Middleware middleware() {
    return middleware;
  }

  @Override
  public String toString() {
    return "JasynqTelemetry[consumerParent=" + consumerParent + "]";
  }

  /**
   * Builds {@link JasynqTelemetry}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final OpenTelemetry openTelemetry;
    private boolean consumerParent;

    private Builder(OpenTelemetry openTelemetry) {
      this.openTelemetry = openTelemetry;
    }

    /**
     * Whether the process span is the producer span's child, in the producer's trace ({@code
     * true}), or starts a new trace with a link to the producer span ({@code false}, the default
     * and the semantic conventions' choice: a task may run long after, or many times).
     */
    public Builder consumerParent(boolean consumerParent) {
      this.consumerParent = consumerParent;
      return this;
    }

    /** The telemetry. */
    public JasynqTelemetry build() {
      return new JasynqTelemetry(this);
    }
  }
}
