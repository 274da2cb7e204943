package io.jasynq.opentelemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Marks a span failed the way the semantic conventions ask: status, exception event, type. */
final class SpanErrors {
  private SpanErrors() {}

  static void record(Span span, Throwable error) {
    Throwable e = unwrap(error);
    span.recordException(e);
    span.setAttribute(MessagingAttributes.ERROR_TYPE, e.getClass().getName());
    if (e.getMessage() == null) {
      span.setStatus(StatusCode.ERROR);
    } else {
      span.setStatus(StatusCode.ERROR, e.getMessage());
    }
  }

  /** The cause a future's wrapper hides. */
  static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
