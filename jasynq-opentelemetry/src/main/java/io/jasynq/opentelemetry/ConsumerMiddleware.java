package io.jasynq.opentelemetry;

import io.jasynq.Handler;
import io.jasynq.Middleware;
import io.jasynq.RevokeTaskException;
import io.jasynq.SkipRetryException;
import io.jasynq.TaskContext;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.Map;
import java.util.Objects;

/**
 * Runs each handler call inside a consumer {@code process} span, continued from the trace context
 * in the task's headers: linked to it (a new trace) or, with {@code consumerParent}, its child.
 * Runs on the worker thread; stateless.
 */
final class ConsumerMiddleware implements Middleware {
  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final boolean consumerParent;

  ConsumerMiddleware(Tracer tracer, TextMapPropagator propagator, boolean consumerParent) {
    this.tracer = tracer;
    this.propagator = propagator;
    this.consumerParent = consumerParent;
  }

  @Override
  public Handler wrap(Handler next) {
    Objects.requireNonNull(next, "next == null");
    return ctx -> handle(next, ctx);
  }

  private void handle(Handler next, TaskContext ctx) throws Exception {
    Context current = Context.current();
    Context remote = extract(consumerParent ? current : Context.root(), ctx.task().headers());
    Context parent = consumerParent ? remote : withBaggage(current, remote);
    SpanBuilder builder = spanBuilder(ctx).setParent(parent);
    SpanContext producer = Span.fromContext(remote).getSpanContext();
    if (!consumerParent && producer.isValid()) {
      builder.addLink(producer);
    }
    Span span = builder.startSpan();
    Scope scope = parent.with(span).makeCurrent(); // the handler's spans nest in it
    try {
      next.handle(ctx);
    } catch (Throwable t) {
      SpanErrors.record(span, t);
      span.setAttribute(MessagingAttributes.TASK_WILL_RETRY, willRetry(ctx, t));
      throw t; // unchanged: the server decides retry, archive or drop by its type
    } finally {
      scope.close();
      span.end();
    }
  }

  /** The propagated context, or {@code base} when the headers carry none or a broken one. */
  private Context extract(Context base, Map<String, String> headers) {
    try {
      return propagator.extract(base, headers, HeaderCarrier.INSTANCE);
    } catch (RuntimeException e) {
      return base; // a broken header or propagator must not fail the task
    }
  }

  /** The worker's context with the producer's baggage, if it sent any. */
  private static Context withBaggage(Context current, Context remote) {
    Baggage baggage = Baggage.fromContextOrNull(remote);
    return baggage == null || baggage.isEmpty() ? current : current.with(baggage);
  }

  private SpanBuilder spanBuilder(TaskContext ctx) {
    return tracer
        .spanBuilder(MessagingAttributes.PROCESS + " " + ctx.queue())
        .setSpanKind(SpanKind.CONSUMER)
        .setAttribute(MessagingAttributes.MESSAGING_SYSTEM, MessagingAttributes.SYSTEM)
        .setAttribute(MessagingAttributes.MESSAGING_DESTINATION_NAME, ctx.queue())
        .setAttribute(MessagingAttributes.MESSAGING_OPERATION_TYPE, MessagingAttributes.PROCESS)
        .setAttribute(MessagingAttributes.MESSAGING_OPERATION_NAME, MessagingAttributes.PROCESS)
        .setAttribute(MessagingAttributes.MESSAGING_MESSAGE_ID, ctx.taskId())
        .setAttribute(
            MessagingAttributes.MESSAGING_MESSAGE_BODY_SIZE, (long) ctx.task().payloadSize())
        .setAttribute(MessagingAttributes.TASK_TYPE, ctx.task().type())
        .setAttribute(MessagingAttributes.TASK_RETRY_COUNT, (long) ctx.retryCount())
        .setAttribute(MessagingAttributes.TASK_MAX_RETRY, (long) ctx.maxRetry());
  }

  /**
   * Whether the server will retry after {@code error}: retries are left and the handler did not ask
   * to skip them or to drop the task. A {@code ServerConfig.isFailure} predicate that excuses the
   * error, or a shutdown that requeues the task, is not visible here.
   */
  private static boolean willRetry(TaskContext ctx, Throwable error) {
    return ctx.retryCount() < ctx.maxRetry()
        && !(error instanceof SkipRetryException)
        && !(error instanceof RevokeTaskException);
  }
}
