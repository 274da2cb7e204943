package io.jasynq.opentelemetry;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes propagation fields in a task's headers. Reads ignore case when no header has the
 * exact name, since writers in other languages may capitalize ({@code Traceparent}).
 */
enum HeaderCarrier
    implements TextMapGetter<Map<String, String>>, TextMapSetter<Map<String, String>> {
  INSTANCE;

  @Override
  public Iterable<String> keys(Map<String, String> carrier) {
    return carrier.keySet();
  }

  @Override
  public @Nullable String get(@Nullable Map<String, String> carrier, String key) {
    if (carrier == null) {
      return null;
    }
    String value = carrier.get(key);
    if (value != null) {
      return value;
    }
    for (Map.Entry<String, String> e : carrier.entrySet()) {
      if (e.getKey().equalsIgnoreCase(key)) {
        return e.getValue();
      }
    }
    return null;
  }

  @Override
  public void set(Map<String, String> carrier, String key, String value) {
    if (carrier != null) {
      carrier.put(key, value);
    }
  }
}
