package io.jasynq.spring.boot;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The converter without JSON: {@code byte[]} as is, {@code String} as UTF-8. Stateless. */
class RawPayloadConverter implements PayloadConverter {
  @Override
  public byte[] toPayload(Object value) {
    if (value == null) {
      return new byte[0];
    }
    if (value instanceof byte[] bytes) {
      return bytes;
    }
    if (value instanceof String text) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    throw new IllegalArgumentException(
        "payload of type "
            + value.getClass().getName()
            + " needs a JSON mapper: add Jackson (spring-boot-starter-jackson) or pass byte[] or"
            + " String");
  }

  @Override
  public @Nullable Object fromPayload(byte @Nullable [] payload, Type type) {
    if (type == byte[].class) {
      return payload;
    }
    if (type == String.class) {
      return new String(
          Objects.requireNonNull(payload, "the task has no payload"), StandardCharsets.UTF_8);
    }
    throw new IllegalArgumentException(
        "no JSON mapper to bind a payload to " + type.getTypeName() + "; only byte[] and String");
  }

  @Override
  public boolean supports(Type type) {
    return type == byte[].class || type == String.class;
  }
}
