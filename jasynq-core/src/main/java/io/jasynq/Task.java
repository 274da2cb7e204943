package io.jasynq;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A unit of work: a type name that selects the handler, an opaque payload, optional headers and
 * default {@linkplain TaskOption options}. Immutable and thread-safe; the payload is copied in and
 * out.
 *
 * <p>A {@code null} payload and an empty one are different to Asynq (they give different unique
 * keys), so jasynq keeps the difference: {@link #of(String)} has none, {@code of(type, new
 * byte[0])} has an empty one.
 *
 * @since 0.1
 */
public final class Task {
  private final String type;
  private final byte @Nullable [] payload; // null = none
  private final Map<String, String> headers;
  private final List<TaskOption> options;

  private Task(
      String type,
      byte @Nullable [] payload,
      Map<String, String> headers,
      List<TaskOption> options) {
    this.type = Checks.text("task type", type);
    this.payload = payload == null ? null : payload.clone();
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    this.options = List.copyOf(options);
  }

  /** A task with no payload. */
  public static Task of(String type, TaskOption... options) {
    return new Task(type, null, Map.of(), List.of(options));
  }

  /** A task with a byte payload ({@code null} for none). */
  public static Task of(String type, byte @Nullable [] payload, TaskOption... options) {
    return new Task(type, payload, Map.of(), List.of(options));
  }

  /** A task whose payload is {@code payload} encoded as UTF-8 (JSON, say). */
  public static Task of(String type, String payload, TaskOption... options) {
    Objects.requireNonNull(payload, "payload == null");
    return new Task(type, payload.getBytes(StandardCharsets.UTF_8), Map.of(), List.of(options));
  }

  /** A builder, for tasks with headers. */
  public static Builder builder(String type) {
    return new Builder(type);
  }

  /**
   * This task with {@code headers} added (a name it already has takes the new value); everything
   * else is kept. For {@linkplain EnqueueInterceptor interceptors} that add trace context.
   *
   * @throws IllegalArgumentException for a blank name or a value that is not valid text
   */
  public Task withHeaders(Map<String, String> headers) {
    Objects.requireNonNull(headers, "headers == null");
    if (headers.isEmpty()) {
      return this;
    }
    Map<String, String> all = new LinkedHashMap<>(this.headers);
    headers.forEach(
        (name, value) -> {
          Checks.text("header name", name);
          Checks.encodable("header value", value);
          all.put(name, value);
        });
    return new Task(type, payload, all, options);
  }

  /** A builder that starts from this task: same type, payload, headers and options. */
  public Builder toBuilder() {
    Builder b = new Builder(type);
    b.payload = payload;
    b.headers.putAll(headers);
    b.options.addAll(options);
    return b;
  }

  /** The type name; never blank. */
  public String type() {
    return type;
  }

  /** A copy of the payload, or {@code null} if the task has none. */
  public byte @Nullable [] payload() {
    return payload == null ? null : payload.clone();
  }

  /** The payload's length without copying it; 0 when there is none. */
  public int payloadSize() {
    return payload == null ? 0 : payload.length;
  }

  /** The headers, in insertion order; unmodifiable. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The default options, applied before those given at enqueue time; unmodifiable. */
  public List<TaskOption> options() {
    return options;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Task t
        && type.equals(t.type)
        && Arrays.equals(payload, t.payload)
        && headers.equals(t.headers)
        && options.equals(t.options);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, Arrays.hashCode(payload), headers, options);
  }

  @Override
  public String toString() {
    return "Task[type="
        + type
        + ", payload="
        + payloadSize()
        + " bytes"
        + (headers.isEmpty() ? "" : ", headers=" + headers)
        + (options.isEmpty() ? "" : ", options=" + options)
        + "]";
  }

  /** Builds a {@link Task}; not thread-safe. */
  public static final class Builder {
    private final String type;
    private byte @Nullable [] payload;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final java.util.ArrayList<TaskOption> options = new java.util.ArrayList<>();

    private Builder(String type) {
      this.type = Checks.text("task type", type);
    }

    /** The payload ({@code null} for none); copied. */
    public Builder payload(byte @Nullable [] payload) {
      this.payload = payload == null ? null : payload.clone();
      return this;
    }

    /** The payload as UTF-8 text. */
    public Builder payload(String payload) {
      Objects.requireNonNull(payload, "payload == null");
      this.payload = payload.getBytes(StandardCharsets.UTF_8);
      return this;
    }

    /** Adds a header; a later value for the same name wins. */
    public Builder header(String name, String value) {
      Checks.text("header name", name);
      Checks.encodable("header value", value);
      headers.put(name, value);
      return this;
    }

    /** Adds default options. */
    public Builder options(TaskOption... options) {
      for (TaskOption o : options) {
        this.options.add(Objects.requireNonNull(o, "option == null"));
      }
      return this;
    }

    /** The task. */
    public Task build() {
      return new Task(type, payload, headers, options);
    }
  }
}
