package io.jasynq.internal.connection;

import io.jasynq.internal.Closer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Creates what a connector built from {@link ConnectorSettings} owns, and the topology on it:
 * Lettuce resources (unless the caller's were given), then the client, each registered with the
 * topology's {@link Closer} as it is created so that they are shut down in reverse order.
 * Stateless.
 */
final class OwnedClients {
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Reconnect at least once a second, so that a restarted or newly promoted master is reached
   * within a second rather than after Lettuce's default back-off of up to 30 s. On a cluster, from
   * the third attempt each one triggers an adaptive topology refresh, so the promoted replica is
   * found about a second after the promotion, not at the next periodic refresh.
   */
  private static final Delay RECONNECT_DELAY =
      Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS);

  private OwnedClients() {}

  /**
   * Checks the settings together, then creates the resources, the client and the topology.
   *
   * @throws IllegalArgumentException if the settings contradict each other (named in the message),
   *     the CA file cannot be read or holds no certificate, or a TLS manager factory was not
   *     initialized
   */
  static Topology topology(ConnectorSettings s) {
    TlsSettings.check(
        s.tls(),
        s.verifyPeer(),
        s.tlsCaFile(),
        s.tlsServerName(),
        s.tlsTrustManagerFactory(),
        s.tlsKeyManagerFactory());
    if (!s.clusterNodes().isEmpty()) {
      return cluster(s);
    }
    RedisURI uri = redisUri(s);
    Closer closer = new Closer();
    RedisClient client = client(s, uri, closer);
    if (s.sentinels().isEmpty()) {
      return new DialedTopology(describeStandalone(s), Dialer.of(client), closer);
    }
    return new SentinelTopology(describeSentinel(s), client, uri, Dialer.of(client), closer);
  }

  /** The data nodes' URI: standalone, or through the sentinels. */
  private static RedisURI redisUri(ConnectorSettings s) {
    RedisURI.Builder b;
    if (s.sentinels().isEmpty()) {
      b = RedisURI.builder().withHost(s.host()).withPort(s.port());
    } else {
      if (s.masterName() == null) {
        throw new IllegalArgumentException("Sentinel needs masterName(...)");
      }
      if (s.sentinelUsername() != null && s.sentinelPassword() == null) {
        throw new IllegalArgumentException(
            "sentinelUsername \"" + s.sentinelUsername() + "\" needs a sentinelPassword");
      }
      b = RedisURI.builder().withSentinelMasterId(s.masterName());
      for (RedisUris.Sentinel sentinel : s.sentinels()) {
        b.withSentinel(sentinelUri(s, sentinel));
      }
    }
    b.withDatabase(s.database())
        .withSsl(s.tls())
        .withTimeout(s.commandTimeout())
        .withClientName(s.clientName());
    if (s.password() == null && s.username() != null) {
      throw new IllegalArgumentException("username \"" + s.username() + "\" needs a password");
    }
    RedisUriAuth.apply(b, s.tls(), s.verifyPeer(), s.username(), s.password());
    return b.build();
  }

  /** Our client on {@code uri} (and our resources unless given), registered with {@code closer}. */
  private static RedisClient client(ConnectorSettings s, RedisURI uri, Closer closer) {
    RedisClient client = new LazySyncRedisClient(resources(s, closer), uri);
    client.setOptions(
        ClientOptions.builder()
            .sslOptions(sslOptions(s))
            .autoReconnect(true)
            .timeoutOptions(TimeoutOptions.enabled(s.commandTimeout()))
            .socketOptions(
                SocketOptions.builder().connectTimeout(s.connectTimeout()).keepAlive(true).build())
            .build());
    closer.register("redis client", () -> ClientShutdown.shutdown(client, SHUTDOWN_TIMEOUT));
    return client;
  }

  /** One sentinel's URI: the sentinel credentials, and the same TLS as the data nodes. */
  private static RedisURI sentinelUri(ConnectorSettings s, RedisUris.Sentinel sentinel) {
    RedisURI.Builder b =
        RedisURI.builder()
            .withHost(sentinel.host())
            .withPort(sentinel.port())
            .withTimeout(s.commandTimeout())
            .withSsl(s.tls());
    RedisUriAuth.apply(b, s.tls(), s.verifyPeer(), s.sentinelUsername(), s.sentinelPassword());
    return b.build();
  }

  private static Topology cluster(ConnectorSettings s) {
    if (!s.sentinels().isEmpty()) {
      throw new IllegalArgumentException(
          "use either sentinel(...) or clusterNode(...), not both; sentinels were "
              + s.sentinels());
    }
    if (s.database() != 0) {
      throw new IllegalArgumentException(
          "database must be 0 on Redis Cluster (it has no other), was " + s.database());
    }
    if (s.username() != null && s.password() == null) {
      throw new IllegalArgumentException("username \"" + s.username() + "\" needs a password");
    }
    Closer closer = new Closer();
    ClusterConnections cluster =
        ClusterConnections.owned(s, sslOptions(s), resources(s, closer), closer);
    return new DialedTopology(
        ClusterConnections.describe(s.clusterNodes(), s.username(), s.tls()), cluster, closer);
  }

  /**
   * The caller's resources, or resources of our own (daemon threads named {@code jasynq-*}), shut
   * down last by {@code closer}: registered before the client, so closed after it.
   */
  private static ClientResources resources(ConnectorSettings s, Closer closer) {
    if (s.clientResources() != null) {
      return s.clientResources();
    }
    ClientResources owned =
        DefaultClientResources.builder()
            .threadFactoryProvider(pool -> new DefaultThreadFactory("jasynq-" + pool, true))
            .reconnectDelay(RECONNECT_DELAY)
            .build();
    closer.register(
        "client resources",
        () ->
            owned
                .shutdown(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .await(SHUTDOWN_TIMEOUT.toMillis() + 1000));
    return owned;
  }

  private static SslOptions sslOptions(ConnectorSettings s) {
    return TlsSettings.sslOptions(
        s.tlsCaFile(),
        s.tlsTrustManagerFactory(),
        s.tlsKeyManagerFactory(),
        s.tlsServerName(),
        s.connectTimeout());
  }

  /** {@code redis[s]://[user@]host:port/db}; never a password. */
  private static String describeStandalone(ConnectorSettings s) {
    return (s.tls() ? "rediss://" : "redis://")
        + (s.username() == null ? "" : s.username() + "@")
        + (s.host().contains(":") ? "[" + s.host() + "]" : s.host())
        + ":"
        + s.port()
        + "/"
        + s.database();
  }

  /** {@code redis[s]-sentinel://[user@]h1:p1,h2:p2/db?master=NAME}; never a password. */
  private static String describeSentinel(ConnectorSettings s) {
    return (s.tls() ? "rediss-sentinel://" : "redis-sentinel://")
        + (s.username() == null ? "" : s.username() + "@")
        + s.sentinels().stream()
            .map(x -> x.host() + ":" + x.port())
            .collect(Collectors.joining(","))
        + "/"
        + s.database()
        + "?master="
        + s.masterName();
  }
}
