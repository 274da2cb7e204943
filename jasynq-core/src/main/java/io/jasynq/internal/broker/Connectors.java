package io.jasynq.internal.broker;

import io.jasynq.redis.RedisConnector;
import java.util.Objects;
import java.util.function.Function;

/**
 * Lets jasynq's own packages reach a {@link RedisConnector}'s {@link ConnectionSource} without
 * making it public API. {@code RedisConnector} installs the accessor from its static initialiser,
 * which has run before any instance can be passed here.
 */
public final class Connectors {
  private static volatile Function<RedisConnector, ConnectionSource> access;

  private Connectors() {}

  /** Called once, by {@code RedisConnector}'s static initialiser. */
  public static void install(Function<RedisConnector, ConnectionSource> accessor) {
    if (access != null) {
      throw new IllegalStateException("connector access is already installed");
    }
    access = Objects.requireNonNull(accessor, "accessor == null");
  }

  /** The source behind {@code connector}. */
  public static ConnectionSource sourceOf(RedisConnector connector) {
    Objects.requireNonNull(connector, "connector == null");
    return access.apply(connector);
  }
}
