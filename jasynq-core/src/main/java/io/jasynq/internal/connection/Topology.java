package io.jasynq.internal.connection;

import io.jasynq.internal.Closer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;

/**
 * How a connector reaches Redis and what it owns there: one type per way, each holding exactly what
 * that way needs. A {@link DialedTopology} opens connections through a {@link Dialer}: from a
 * {@link RedisClient} to one server, or from a {@link RedisClusterClient} to a cluster; a {@link
 * SentinelTopology} opens them from a {@link RedisClient} and follows the master across failovers
 * (each client owned or borrowed); a {@link LentConnection} lends the caller's one connection to
 * every user. Thread-safe.
 */
public sealed interface Topology permits DialedTopology, SentinelTopology, LentConnection {
  /**
   * A connection for one user, who releases it once: a new one of ours, or the lent one.
   *
   * @throws io.jasynq.JasynqException if it cannot connect, saying why
   */
  RedisConnection open();

  /**
   * A subscription to the channels of {@code listening} (and its key tracking) on a connection of
   * its own; null when there is no client to open one with (a lent connection).
   *
   * @throws io.jasynq.JasynqException if it cannot connect or subscribe, saying why
   */
  Subscription subscribe(Listening listening);

  /**
   * Releases, in reverse order of creation, what this topology opened and owns: the connections
   * still open, then an owned client, then owned resources. Never touches what was lent or
   * borrowed. Called once (the connector's lifecycle sees to it); never throws.
   */
  void close();

  /** Where it points and whose client it uses, without credentials; works after close. */
  @Override
  String toString();

  /**
   * Creates the client (and resources, unless given) described by {@code settings}: owned.
   *
   * @throws IllegalArgumentException if the settings contradict each other
   */
  static Topology owned(ConnectorSettings settings) {
    return OwnedClients.topology(settings);
  }

  /** The caller's client, connected to the URI it was created with; never shut down by us. */
  static Topology borrowed(RedisClient client) {
    return new DialedTopology("borrowed RedisClient", Dialer.of(client), new Closer());
  }

  /**
   * The caller's client, connected to {@code uri}; never shut down by us. A Sentinel URI gives a
   * topology that follows the master across failovers.
   */
  static Topology borrowed(RedisClient client, RedisURI uri) {
    String description = "borrowed RedisClient, " + describe(uri);
    if (uri.getSentinelMasterId() != null && !uri.getSentinels().isEmpty()) {
      return new SentinelTopology(description, client, uri, Dialer.of(client, uri), new Closer());
    }
    return new DialedTopology(description, Dialer.of(client, uri), new Closer());
  }

  /** The caller's Redis Cluster client, used as configured; never shut down by us. */
  static Topology borrowed(RedisClusterClient client) {
    return new DialedTopology(
        "borrowed RedisClusterClient", ClusterConnections.borrowed(client), new Closer());
  }

  /**
   * The caller's connection, standalone or cluster, shared and never closed.
   *
   * @param description what it is, for {@code toString()}
   */
  static Topology lent(StatefulConnection<?, ?> connection, String description) {
    return new LentConnection(description, connection);
  }

  private static String describe(RedisURI uri) {
    StringBuilder s = new StringBuilder(uri.isSsl() ? "rediss://" : "redis://");
    if (uri.getSentinels() != null && !uri.getSentinels().isEmpty()) {
      s.append("sentinel:").append(uri.getSentinelMasterId());
    } else {
      s.append(uri.getHost()).append(':').append(uri.getPort());
    }
    return s.append('/').append(uri.getDatabase()).toString();
  }
}
