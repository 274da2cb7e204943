package io.jasynq.examples.typedjson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.jasynq.Handler;
import io.jasynq.SkipRetryException;
import io.jasynq.Task;
import io.jasynq.TaskOption;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Typed payloads: records to JSON bytes for the client, JSON bytes back to records for handlers.
 */
public final class JsonTasks {
  /** snake_case, as a Go service's {@code json:"user_id"} tags would write it. */
  private static final ObjectMapper JSON =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private JsonTasks() {}

  /** A task whose payload is {@code value} as JSON. */
  public static Task task(String type, Object value, TaskOption... options) {
    try {
      return Task.of(type, JSON.writeValueAsBytes(value), options);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A typed handler: reads the payload as {@code T}. */
  @FunctionalInterface
  public interface TypedHandler<T> {
    void handle(T payload) throws Exception;
  }

  /**
   * A handler that decodes the payload into {@code type} and calls {@code handler}. A payload that
   * is not valid JSON for {@code type} is archived at once: retrying it cannot help.
   */
  public static <T> Handler handler(Class<T> type, TypedHandler<T> handler) {
    return ctx -> {
      T payload;
      try {
        payload = JSON.readValue(ctx.task().payload(), type);
      } catch (IOException e) {
        String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.toString();
        throw new SkipRetryException("payload is not a " + type.getSimpleName() + ": " + why, e);
      }
      handler.handle(payload);
    };
  }
}
