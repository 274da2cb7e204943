package io.jasynq.internal.connection;

import io.jasynq.internal.Closer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis Cluster client of a {@link DialedTopology}: opens routed data connections and Pub/Sub
 * connections from a Lettuce {@link RedisClusterClient}, owned (built from seed nodes, with
 * topology refresh on) or borrowed (the caller's client, used as configured). A routed connection
 * sends each command to the master owning the slot of its first key and follows MOVED/ASK; keyless
 * commands (PING) go to any node. Thread-safe; immutable after construction.
 */
final class ClusterConnections implements Dialer {
  private static final Logger log = LoggerFactory.getLogger(ClusterConnections.class);

  /** The shortest time between two adaptive topology refreshes of an owned client. */
  static final Duration ADAPTIVE_REFRESH_RATE_LIMIT = Duration.ofSeconds(1);

  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

  private final RedisClusterClient client;

  private ClusterConnections(RedisClusterClient client) {
    this.client = client;
  }

  /** Borrows the caller's client: never shut down by us. */
  static ClusterConnections borrowed(RedisClusterClient client) {
    return new ClusterConnections(client);
  }

  /**
   * Creates a cluster client on {@code resources} with periodic and adaptive topology refresh
   * (MOVED and ASK redirects, persistent reconnects, uncovered slots and unknown nodes trigger a
   * refresh, at most once per {@link #ADAPTIVE_REFRESH_RATE_LIMIT}), so a promoted replica is
   * picked up within seconds. The seed nodes, credentials, TLS, timeouts, client name and refresh
   * period come from {@code s}. Registers the client's shutdown with {@code closer}.
   */
  @SuppressWarnings("deprecation") // Lettuce 7 deprecates picking triggers; we want them all
  static ClusterConnections owned(
      ConnectorSettings s, SslOptions sslOptions, ClientResources resources, Closer closer) {
    List<RedisURI> uris = new ArrayList<>(s.clusterNodes().size());
    for (ClusterUris.Node seed : s.clusterNodes()) {
      RedisURI.Builder b =
          RedisURI.builder()
              .withHost(seed.host())
              .withPort(seed.port())
              .withSsl(s.tls())
              .withTimeout(s.commandTimeout())
              .withClientName(s.clientName());
      RedisUriAuth.apply(b, s.tls(), s.verifyPeer(), s.username(), s.password());
      uris.add(b.build());
    }
    RedisClusterClient client = RedisClusterClient.create(resources, uris);
    client.setOptions(
        ClusterClientOptions.builder()
            .sslOptions(sslOptions)
            .autoReconnect(true)
            // A command for a node that is down fails at once instead of waiting in that node's
            // buffer until the command timeout: once the refreshed topology names the promoted
            // replica, the caller's retry goes there (a buffered command would not move).
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(s.commandTimeout()))
            .socketOptions(
                SocketOptions.builder().connectTimeout(s.connectTimeout()).keepAlive(true).build())
            .topologyRefreshOptions(
                ClusterTopologyRefreshOptions.builder()
                    .enablePeriodicRefresh(s.topologyRefreshPeriod())
                    .enableAdaptiveRefreshTrigger(
                        ClusterTopologyRefreshOptions.RefreshTrigger.values())
                    .adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_RATE_LIMIT)
                    .refreshTriggersReconnectAttempts(3)
                    .dynamicRefreshSources(true)
                    .closeStaleConnections(true)
                    .build())
            .build());
    closer.register(
        "redis cluster client", () -> ClientShutdown.shutdown(client, SHUTDOWN_TIMEOUT));
    return new ClusterConnections(client);
  }

  /** A routed connection with our byte-array codec, its connections to the masters open. */
  @Override
  public StatefulConnection<byte[], byte[]> connect() {
    StatefulRedisClusterConnection<byte[], byte[]> connection =
        client.connect(ByteArrayCodec.INSTANCE);
    openMasterConnections(connection);
    return connection;
  }

  /**
   * Opens the connection to every master now. Under {@code REJECT_COMMANDS}, Lettuce 7 rejects a
   * command for a node whose connection is still being opened ("Currently not connected"), so
   * without this the first command to each master would fail. Best effort: a master that cannot be
   * reached now is left to Lettuce's reconnect and to the callers' retries.
   */
  private void openMasterConnections(StatefulRedisClusterConnection<byte[], byte[]> connection) {
    List<CompletableFuture<?>> opening = new ArrayList<>();
    for (RedisClusterNode node : connection.getPartitions()) {
      if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && node.getUri() != null) {
        opening.add(
            connection.getConnectionAsync(node.getUri().getHost(), node.getUri().getPort()));
      }
    }
    Duration wait = client.getOptions().getSocketOptions().getConnectTimeout();
    try {
      CompletableFuture.allOf(opening.toArray(new CompletableFuture<?>[0]))
          .get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.debug("opening connections to every master failed; commands retry", e);
    }
  }

  /**
   * A cluster Pub/Sub connection. Classic PUBLISH reaches every node of a cluster, so subscribing
   * on one node (Lettuce's default connection, which reconnects to another node if its node goes
   * away, and subscribes again) hears every message.
   */
  @Override
  public StatefulRedisPubSubConnection<byte[], byte[]> connectPubSub() {
    return client.connectPubSub(ByteArrayCodec.INSTANCE);
  }

  /** False: a Pub/Sub connection reaches one node, and key tracking there sees its keys only. */
  @Override
  public boolean pubSubSeesEveryKey() {
    return false;
  }

  /** {@code redis-cluster://[user@]h1:p1,h2:p2} for descriptions; never a password. */
  static String describe(List<ClusterUris.Node> seeds, String username, boolean tls) {
    return (tls ? "rediss-cluster://" : "redis-cluster://")
        + (username == null ? "" : username + "@")
        + seeds.stream().map(ClusterUris.Node::toString).collect(Collectors.joining(","));
  }
}
