package io.jasynq.spring.boot;

import java.lang.reflect.Type;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Binds payloads with the application's Jackson 3 mapper; byte[] and String pass as is. */
final class JsonMapperPayloadConverter extends RawPayloadConverter {
  private final JsonMapper mapper; // thread-safe, shared

  JsonMapperPayloadConverter(JsonMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public byte[] toPayload(Object value) {
    if (value == null || value instanceof byte[] || value instanceof String) {
      return super.toPayload(value);
    }
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "payload of type " + value.getClass().getName() + " cannot be written as JSON: " + e, e);
    }
  }

  @Override
  public @Nullable Object fromPayload(byte @Nullable [] payload, Type type) {
    if (super.supports(type)) {
      return super.fromPayload(payload, type);
    }
    try {
      return mapper.readValue(payload, mapper.constructType(type));
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "payload does not bind to " + type.getTypeName() + ": " + e.getOriginalMessage(), e);
    }
  }

  @Override
  public boolean supports(Type type) {
    return true;
  }
}
