package io.jasynq.micrometer;

import io.jasynq.TaskEvent;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/** Tag values shared by the server and client meters. Stateless. */
final class MeterTags {
  private MeterTags() {}

  /** {@code SUCCEEDED} → {@code succeeded}, {@code LEASE_LOST} → {@code lease_lost}. */
  static String outcome(TaskEvent.Outcome outcome) {
    return outcome.name().toLowerCase(Locale.ROOT);
  }

  /** The simple class name of {@code error} (unwrapped from completion wrappers), or none. */
  static String exception(@Nullable Throwable error) {
    if (error == null) {
      return MetricNames.NONE;
    }
    Class<?> type = unwrap(error).getClass();
    String name = type.getSimpleName();
    return name.isEmpty() ? type.getName() : name;
  }

  /** The cause of a {@link CompletionException} or {@link ExecutionException}, else itself. */
  static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /** A queue name as a tag value: never null. */
  static String queue(String queue) {
    return queue == null ? TaskTypeTags.UNKNOWN : queue;
  }
}
