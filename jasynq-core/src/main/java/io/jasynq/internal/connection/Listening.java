package io.jasynq.internal.connection;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a {@link Subscription} listens to: Pub/Sub channels, each with its listener, and key
 * prefixes whose writes, by any client (a Go producer's {@code LPUSH} included), are reported
 * through Redis's key tracking ({@code CLIENT TRACKING ... BCAST PREFIX}, which needs no server
 * configuration, turned on by another connection and redirected to the subscription's). Listeners
 * run on a Lettuce thread and must not block.
 *
 * @param channels each channel with its listener, called with the message
 * @param keyPrefixes the prefixes whose writes call {@code onKeyWrite} while tracked; empty for
 *     none (the subscription is then no tracking target)
 * @param onKeyWrite called when a key under one of the prefixes was written (at most once per pass
 *     of Redis's event loop: Redis batches its invalidation messages)
 */
public record Listening(
    Map<String, Consumer<String>> channels, List<String> keyPrefixes, Runnable onKeyWrite) {

  public Listening {
    channels = Map.copyOf(channels);
    keyPrefixes = List.copyOf(keyPrefixes);
    Objects.requireNonNull(onKeyWrite, "onKeyWrite == null");
  }

  /** Channels only, no key tracking. */
  public static Listening channels(Map<String, Consumer<String>> channels) {
    return new Listening(channels, List.of(), () -> {});
  }

  /** The same channels, without key tracking (where a connection cannot see every key). */
  Listening withoutKeys() {
    return keyPrefixes.isEmpty() ? this : channels(channels);
  }
}
