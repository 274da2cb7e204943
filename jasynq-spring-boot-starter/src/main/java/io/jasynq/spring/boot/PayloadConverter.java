package io.jasynq.spring.boot;

import java.lang.reflect.Type;
import org.jspecify.annotations.Nullable;

/**
 * Turns task payloads into objects and back, for {@link TaskHandler @TaskHandler} methods and
 * {@link JasynqTemplate}. The auto-configured one uses the application's Jackson 3 {@code
 * JsonMapper} when there is one, and otherwise supports only {@code byte[]} (as is) and {@code
 * String} (UTF-8). Declare a bean of this type to use another format.
 *
 * <p>Implementations must be thread-safe.
 *
 * @since 0.1
 */
public interface PayloadConverter {
  /**
   * The payload bytes of {@code value}.
   *
   * @throws IllegalArgumentException if {@code value} cannot be written; the message says why
   */
  byte[] toPayload(Object value);

  /**
   * The payload as an instance of {@code type}; {@code payload} is null for a task without one.
   *
   * @throws IllegalArgumentException if the payload does not bind to {@code type}; the message says
   *     why
   */
  @Nullable Object fromPayload(byte @Nullable [] payload, Type type);

  /** Whether {@link #fromPayload} can produce {@code type} at all; checked at start. */
  default boolean supports(Type type) {
    return true;
  }
}
