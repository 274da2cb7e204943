package io.jasynq.internal.connection;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connections and subscriptions a topology opened from its client and that their users have not
 * released yet: opens them (once more if Lettuce lost the handshake's error, and explaining a
 * failed connect), forgets each as it is released, and releases the rest when the topology closes.
 * Thread-safe.
 */
final class OpenConnections {
  private final String description;
  private final Dialer dialer;

  // Shared: added by the users' threads, removed on release.
  private final Set<RedisConnection> connections = ConcurrentHashMap.newKeySet();
  private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();

  /**
   * @param description where the dialer connects, without credentials, for connect errors
   */
  OpenConnections(String description, Dialer dialer) {
    this.description = description;
    this.dialer = dialer;
  }

  /**
   * A new owned connection, tracked until released.
   *
   * @throws io.jasynq.JasynqException if it cannot connect, saying why
   */
  RedisConnection open() {
    StatefulConnection<byte[], byte[]> connection;
    try {
      connection = ConnectFailures.retryingLostHandshake(dialer::connect);
    } catch (RuntimeException e) {
      throw TlsSettings.connectFailure(description, e);
    }
    RedisConnection[] holder = new RedisConnection[1];
    holder[0] = new RedisConnection(connection, true, () -> connections.remove(holder[0]));
    connections.add(holder[0]);
    return holder[0];
  }

  /**
   * A new subscription on a connection of its own, tracked until released.
   *
   * @throws io.jasynq.JasynqException if it cannot connect or subscribe, saying why
   */
  Subscription subscribe(Listening listening) {
    StatefulRedisPubSubConnection<byte[], byte[]> connection;
    try {
      connection = ConnectFailures.retryingLostHandshake(dialer::connectPubSub);
    } catch (RuntimeException e) {
      throw TlsSettings.connectFailure(description, e);
    }
    Subscription[] holder = new Subscription[1];
    Runnable forget =
        () -> {
          if (holder[0] != null) { // null: released by a failed subscribe, never tracked
            subscriptions.remove(holder[0]);
          }
        };
    Listening what = dialer.pubSubSeesEveryKey() ? listening : listening.withoutKeys();
    holder[0] = Subscription.open(connection, what, forget);
    subscriptions.add(holder[0]);
    return holder[0];
  }

  /** The master changed: every connection and subscription re-resolves it now. */
  void leaveServer() {
    for (RedisConnection connection : connections) {
      connection.leaveServer();
    }
    for (Subscription subscription : subscriptions) {
      subscription.leaveServer();
    }
  }

  /** Releases the subscriptions, then the connections, still open. Never throws. */
  void releaseAll() {
    for (Subscription subscription : subscriptions.toArray(new Subscription[0])) {
      subscription.release();
    }
    for (RedisConnection connection : connections.toArray(new RedisConnection[0])) {
      connection.release();
    }
  }
}
