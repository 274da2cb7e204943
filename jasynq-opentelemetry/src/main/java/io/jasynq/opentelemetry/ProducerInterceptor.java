package io.jasynq.opentelemetry;

import io.jasynq.EnqueueInterceptor;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Starts a producer span per task ({@code send} alone, {@code create} in a batch), writes its
 * context into the task's headers and ends it when Redis has answered. Runs on the enqueuing
 * thread; the span ends on the thread that completes the enqueue's future. Stateless.
 */
final class ProducerInterceptor implements EnqueueInterceptor {
  private final Tracer tracer;
  private final TextMapPropagator propagator;

  ProducerInterceptor(Tracer tracer, TextMapPropagator propagator) {
    this.tracer = tracer;
    this.propagator = propagator;
  }

  @Override
  public CompletableFuture<TaskInfo> intercept(Call call) {
    Span span = start(call);
    Context context = Context.current().with(span);
    Map<String, String> headers = new LinkedHashMap<>();
    propagator.inject(context, headers, HeaderCarrier.INSTANCE);
    Task task = call.task().withHeaders(headers);
    CompletableFuture<TaskInfo> future;
    Scope scope = context.makeCurrent(); // later interceptors see the span
    try {
      future = call.proceed(task);
    } catch (RuntimeException | Error e) {
      SpanErrors.record(span, e);
      span.end();
      throw e;
    } finally {
      scope.close();
    }
    return endOnCompletion(span, future);
  }

  private Span start(Call call) {
    String operation = call.batchSize() > 1 ? MessagingAttributes.CREATE : MessagingAttributes.SEND;
    Task task = call.task();
    return tracer
        .spanBuilder(operation + " " + call.queue())
        .setSpanKind(SpanKind.PRODUCER)
        .setAttribute(MessagingAttributes.MESSAGING_SYSTEM, MessagingAttributes.SYSTEM)
        .setAttribute(MessagingAttributes.MESSAGING_DESTINATION_NAME, call.queue())
        .setAttribute(MessagingAttributes.MESSAGING_OPERATION_TYPE, operation)
        .setAttribute(MessagingAttributes.MESSAGING_OPERATION_NAME, operation)
        .setAttribute(MessagingAttributes.MESSAGING_MESSAGE_BODY_SIZE, (long) task.payloadSize())
        .setAttribute(MessagingAttributes.TASK_TYPE, task.type())
        .startSpan();
  }

  /**
   * A future that completes exactly as {@code future} does (the same value or the same exception
   * object, so callers' handlers see what they would without tracing), after the span has ended.
   */
  private static CompletableFuture<TaskInfo> endOnCompletion(
      Span span, CompletableFuture<TaskInfo> future) {
    CompletableFuture<TaskInfo> outcome = new CompletableFuture<>();
    future.whenComplete(
        (info, error) -> {
          try {
            if (error != null) {
              SpanErrors.record(span, error);
            } else if (info != null) {
              span.setAttribute(MessagingAttributes.MESSAGING_MESSAGE_ID, info.id());
            }
            span.end();
          } finally {
            if (error != null) {
              outcome.completeExceptionally(error);
            } else {
              outcome.complete(info);
            }
          }
        });
    // A caller that gives up (a timed-out await cancels) gives up on the enqueue itself.
    outcome.whenComplete(
        (info, error) -> {
          if (outcome.isCancelled()) {
            future.cancel(false);
          }
        });
    return outcome;
  }
}
