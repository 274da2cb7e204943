package io.jasynq.redis;

import io.jasynq.internal.Lifecycle;
import io.jasynq.internal.connection.ClusterUris;
import io.jasynq.internal.connection.ConnectionSource;
import io.jasynq.internal.connection.ConnectorSettings;
import io.jasynq.internal.connection.ConnectorSource;
import io.jasynq.internal.connection.RedisUris;
import io.jasynq.internal.connection.Topology;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.NullUnmarked;

/**
 * How to reach Redis, and who owns the connection.
 *
 * <p>Ownership is decided by the factory and never changes:
 *
 * <ul>
 *   <li>{@link #create(String)} and {@link #builder()} <b>own</b> what they create: the Lettuce
 *       {@link RedisClient}, every connection opened from it and, unless the builder was given the
 *       caller's {@link ClientResources}, the resources (event loops) too.
 *   <li>{@link #borrow(RedisClient)}, {@link #borrow(RedisClient, RedisURI)} and {@link
 *       #borrow(StatefulRedisConnection)} <b>borrow</b> the caller's objects and never close them.
 *       Connections opened from a borrowed client are ours and are closed; a borrowed connection is
 *       shared and left open. {@link #borrow(RedisClusterClient)} and {@link
 *       #borrow(StatefulRedisClusterConnection)} do the same for Redis Cluster.
 * </ul>
 *
 * <p><b>Redis Cluster</b> ({@code redis-cluster://h1:p1,h2:p2} or {@link Builder#clusterNode}):
 * every key of one queue carries the {@code {queue}} hash tag, so each script runs on the master
 * owning that queue's slot; the topology is refreshed periodically and on redirects or lost
 * connections, so a promoted replica is used within seconds.
 *
 * <p>{@link #close()} releases what this connector owns in reverse order of creation: connections,
 * then the client, then the resources last (closing a connection after its event loops are gone is
 * the JVM twin of Python's "event loop is closed"). It is idempotent, thread-safe, never throws and
 * waits until the owned threads have stopped. A {@code Client} or {@code Server} built from a
 * connector does not close the connector: whoever creates it closes it.
 *
 * <p><b>Sentinel.</b> With sentinels ({@code redis-sentinel://…}, {@link Builder#sentinel}, or
 * {@link #borrow(RedisClient, RedisURI)} with a Sentinel URI) the master is found through the
 * sentinels and followed across failovers: the connector listens for the sentinels' {@code
 * +switch-master} event and moves every connection it opened to the new master at once, and a
 * connection that reaches a server which is no longer the master ({@code READONLY}) is moved too,
 * the refused write being sent again on the new master. The listening connections (one per
 * sentinel) are opened with the first connection and closed by {@link #close()}.
 *
 * <p><b>TLS</b> ({@code rediss://}, {@code rediss-sentinel://}, {@code rediss-cluster://} or {@link
 * Builder#tls}): the server's certificate is verified against {@link Builder#tlsCaFile} (a PEM
 * file), {@link Builder#tlsTrustManagerFactory} or the JVM's trust store, and must name the host
 * connected to or {@link Builder#tlsServerName}; {@link Builder#verifyPeer verifyPeer(false)} turns
 * verification off. A client certificate for mutual TLS comes from {@link
 * Builder#tlsKeyManagerFactory}. A failed handshake is a {@link io.jasynq.JasynqException} that
 * says it is a TLS problem, which one (untrusted CA, wrong host name, no TLS on the port), and
 * names the node.
 *
 * <p>Thread-safe. {@link #toString()} never shows a password and works after close.
 *
 * @since 0.1
 */
@NullUnmarked // not yet checked by NullAway: its Builder's unset options are null
public final class RedisConnector implements AutoCloseable {
  /** Default time one Redis command may take: 10 seconds. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(10);

  /** Default time to establish a TCP (and TLS) connection: 5 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Default period of the topology refresh of an owned Redis Cluster client: 10 seconds. MOVED/ASK
   * redirects and lost connections also trigger a refresh at once (at most one a second).
   */
  public static final Duration DEFAULT_TOPOLOGY_REFRESH_PERIOD = Duration.ofSeconds(10);

  /** Default {@code CLIENT SETNAME} of owned connections, so operators can tell them apart. */
  public static final String DEFAULT_CLIENT_NAME = "jasynq";

  // Immutable after construction: how Redis is reached and what is ours there.
  private final Topology topology;
  private final Duration commandTimeout;
  private final Lifecycle lifecycle = Lifecycle.open("connector");
  private final ConnectionSource source;

  private RedisConnector(Topology topology, Duration commandTimeout) {
    this.topology = topology;
    this.commandTimeout = commandTimeout;
    this.source = new ConnectorSource(this, topology, commandTimeout, lifecycle);
  }

  /**
   * A connector that owns everything it creates, from a URI: {@code redis://[[user]:password@]
   * host[:port][/db]}, {@code rediss://…} for TLS, or a bare {@code host:port}. The port defaults
   * to 6379 and the database to 0. Sentinel: {@code redis-sentinel://…?master=NAME}; Redis Cluster:
   * {@code redis-cluster://[[user]:password@]h1[:p1],h2[:p2]…} ({@code rediss-cluster://} for TLS).
   * Nothing connects until a connection is first opened.
   *
   * @throws IllegalArgumentException if the URI cannot be parsed; the message names the URI with
   *     its password masked
   */
  public static RedisConnector create(String uri) {
    return builder().uri(uri).build();
  }

  /** A builder for a connector that owns what it creates (see {@link Builder}). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Borrows the caller's client, which must have been created with a default {@link RedisURI}
   * ({@code RedisClient.create(uri)}). Connections opened from it are ours and closed by us; the
   * client and its resources are never shut down by jasynq.
   */
  public static RedisConnector borrow(RedisClient client) {
    Objects.requireNonNull(client, "client == null");
    return new RedisConnector(Topology.borrowed(client), DEFAULT_COMMAND_TIMEOUT);
  }

  /**
   * Borrows the caller's client and connects it to {@code uri}. The client and its resources are
   * never shut down by jasynq; connections opened from it are ours.
   */
  public static RedisConnector borrow(RedisClient client, RedisURI uri) {
    Objects.requireNonNull(client, "client == null");
    Objects.requireNonNull(uri, "uri == null");
    return new RedisConnector(Topology.borrowed(client, uri), timeoutOr(uri.getTimeout()));
  }

  /**
   * Borrows the caller's connection, whatever its codec. jasynq shares it (Lettuce connections are
   * thread-safe) and never closes it; the caller's commands keep working after every jasynq object
   * built on it is closed.
   */
  public static RedisConnector borrow(StatefulRedisConnection<?, ?> connection) {
    Objects.requireNonNull(connection, "connection == null");
    return new RedisConnector(
        Topology.lent(connection, "borrowed connection"), timeoutOr(connection.getTimeout()));
  }

  /**
   * Borrows the caller's Redis Cluster client. Connections opened from it are ours and closed by
   * us; the client and its resources are never shut down by jasynq. It is used as the caller
   * configured it: enable periodic and adaptive topology refresh ({@code
   * ClusterTopologyRefreshOptions}) on it so that a failover is followed within seconds.
   *
   * @since 0.2
   */
  public static RedisConnector borrow(RedisClusterClient client) {
    Objects.requireNonNull(client, "client == null");
    return new RedisConnector(Topology.borrowed(client), DEFAULT_COMMAND_TIMEOUT);
  }

  /**
   * Borrows the caller's Redis Cluster connection, whatever its codec. jasynq shares it and never
   * closes it. Having no client to open a Pub/Sub connection with, a server built on it hears no
   * cancellation requests or wake-ups (it still polls); borrow the {@link RedisClusterClient} to
   * have them.
   *
   * @since 0.2
   */
  public static RedisConnector borrow(StatefulRedisClusterConnection<?, ?> connection) {
    Objects.requireNonNull(connection, "connection == null");
    return new RedisConnector(
        Topology.lent(connection, "borrowed cluster connection"),
        timeoutOr(connection.getTimeout()));
  }

  private static Duration timeoutOr(Duration timeout) {
    return timeout == null ? DEFAULT_COMMAND_TIMEOUT : timeout;
  }

  /** The per-command timeout used by objects built on this connector. */
  public Duration commandTimeout() {
    return commandTimeout;
  }

  /** Whether {@link #close()} has been called. */
  public boolean isClosed() {
    return lifecycle.isClosed();
  }

  /**
   * Closes the connections this connector opened that are still open, then the client and the
   * resources it owns, in that order. Borrowed objects are left untouched. Idempotent, thread-safe,
   * never throws; a second caller returns once the first has finished.
   */
  @Override
  public void close() {
    lifecycle.close(topology::close);
  }

  @Override
  public String toString() {
    return "RedisConnector[" + topology + (lifecycle.isClosed() ? ", closed]" : "]");
  }

  /**
   * Internal; not API, may change without notice: how jasynq's own {@code Client}, {@code Server},
   * {@code Inspector} and {@code Scheduler} open connections on this connector. Applications have
   * no use for it: they hand the connector itself to those classes.
   */
  public ConnectionSource connectionSource() {
    return source;
  }

  /**
   * Options for a connector that owns its client and connections. Start from a URI ({@link
   * #uri(String)}) or from host and port; later calls override earlier ones. Validated by {@link
   * #build()}.
   */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = RedisURI.DEFAULT_REDIS_PORT;
    private String username;
    private char[] password;
    private int database;
    private boolean tls;
    private boolean verifyPeer = true;
    private java.nio.file.Path tlsCaFile;
    private String tlsServerName;
    private javax.net.ssl.TrustManagerFactory tlsTrustManagerFactory;
    private javax.net.ssl.KeyManagerFactory tlsKeyManagerFactory;
    private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private String clientName = DEFAULT_CLIENT_NAME;
    private ClientResources clientResources;
    private final java.util.List<RedisUris.Sentinel> sentinels = new java.util.ArrayList<>();
    private String masterName;
    private String sentinelUsername;
    private char[] sentinelPassword;
    private final java.util.List<ClusterUris.Node> clusterNodes = new java.util.ArrayList<>();
    private Duration topologyRefreshPeriod = DEFAULT_TOPOLOGY_REFRESH_PERIOD;

    private Builder() {}

    /**
     * Sets host, port, credentials, database and TLS from a URI: {@code redis://[[user]:password@]
     * host[:port][/db]}, {@code rediss://…}, or a bare {@code host[:port]}; or Sentinel: {@code
     * redis-sentinel://[[user]:password@]h1[:p1],h2[:p2],…[/db]?master=NAME
     * [&sentinelUsername=U][&sentinelPassword=P]} ({@code rediss-sentinel://} for TLS to data nodes
     * and sentinels; sentinel port default 26379). In Sentinel URIs the user info is the data
     * nodes' credentials (Go Asynq sends that password to the sentinels instead); the sentinels'
     * own are the parameters.
     *
     * @throws IllegalArgumentException naming the (masked) URI and what is wrong with it
     */
    public Builder uri(String uri) {
      Objects.requireNonNull(uri, "uri == null");
      this.clusterNodes.clear();
      if (ClusterUris.isCluster(uri)) {
        ClusterUris.Parsed cluster = ClusterUris.parse(uri);
        this.clusterNodes.addAll(cluster.nodes());
        this.username = cluster.username();
        this.password = cluster.password();
        this.tls = cluster.tls();
        this.database = 0;
        this.sentinels.clear();
        this.masterName = null;
        this.sentinelPassword = null;
        return this;
      }
      RedisUris.Parsed parsed = RedisUris.parse(uri);
      this.host = parsed.host();
      this.port = parsed.port();
      this.username = parsed.username();
      this.password = parsed.password();
      this.database = parsed.database();
      this.tls = parsed.tls();
      this.sentinels.clear();
      parsed.sentinels().forEach(x -> sentinels.add(new RedisUris.Sentinel(x.host(), x.port())));
      this.masterName = parsed.masterName();
      this.sentinelUsername = parsed.sentinelUsername();
      this.sentinelPassword = parsed.sentinelPassword();
      return this;
    }

    /**
     * Reaches the master through Sentinel: adds a sentinel address (call once per sentinel; use
     * three or more). With sentinels, host and port are ignored and the master that the sentinels
     * name is followed across failovers.
     */
    public Builder sentinel(String host, int port) {
      Objects.requireNonNull(host, "host == null");
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("sentinel port must be in 1..65535, was " + port);
      }
      sentinels.add(new RedisUris.Sentinel(host, port));
      return this;
    }

    /**
     * Reaches a Redis Cluster: adds a seed node (call once per seed; any reachable node will do,
     * more than one survive a node being down). With seed nodes, host, port and database are
     * ignored; commands go to the master owning each key's slot, and the topology is refreshed
     * periodically and on redirects or lost connections, so a promoted replica is used within
     * seconds.
     *
     * @since 0.2
     */
    public Builder clusterNode(String host, int port) {
      Objects.requireNonNull(host, "host == null");
      if (host.isBlank()) {
        throw new IllegalArgumentException("cluster node host must not be blank");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("cluster node port must be in 1..65535, was " + port);
      }
      clusterNodes.add(new ClusterUris.Node(host, port));
      return this;
    }

    /**
     * How often an owned Redis Cluster client re-reads the topology; default {@link
     * #DEFAULT_TOPOLOGY_REFRESH_PERIOD}. Redirects and lost connections trigger a refresh sooner.
     *
     * @since 0.2
     */
    public Builder topologyRefreshPeriod(Duration period) {
      this.topologyRefreshPeriod = positive("topologyRefreshPeriod", period);
      return this;
    }

    /** The Sentinel master name; required with {@link #sentinel}. */
    public Builder masterName(String masterName) {
      Objects.requireNonNull(masterName, "masterName == null");
      if (masterName.isBlank()) {
        throw new IllegalArgumentException("masterName must not be blank");
      }
      this.masterName = masterName;
      return this;
    }

    /**
     * The sentinels' own password, if they require one; default none. The master and replicas use
     * {@link #password}: the two may differ.
     */
    public Builder sentinelPassword(String password) {
      this.sentinelPassword = password == null ? null : password.toCharArray();
      return this;
    }

    /**
     * The sentinels' ACL user name (Redis 6.2+ sentinels with {@code sentinel sentinel-user});
     * default none. Needs {@link #sentinelPassword}. The master's user is {@link #username}.
     */
    public Builder sentinelUsername(String username) {
      this.sentinelUsername = username;
      return this;
    }

    /** Host name or address; default {@code 127.0.0.1}. */
    public Builder host(String host) {
      Objects.requireNonNull(host, "host == null");
      if (host.isBlank()) {
        throw new IllegalArgumentException("host must not be blank");
      }
      this.host = host;
      return this;
    }

    /** TCP port, 1–65535; default 6379. */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be in 1..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /** ACL user name (Redis 6+); default none (the {@code default} user). */
    public Builder username(String username) {
      this.username = username;
      return this;
    }

    /** Password; default none. The array is copied. */
    public Builder password(char[] password) {
      this.password = password == null ? null : password.clone();
      return this;
    }

    /** Password; default none. */
    public Builder password(String password) {
      return password(password == null ? null : password.toCharArray());
    }

    /** Database number, 0–15 on a default Redis; default 0. */
    public Builder database(int database) {
      if (database < 0) {
        throw new IllegalArgumentException("database must be >= 0, was " + database);
      }
      this.database = database;
      return this;
    }

    /** Whether to use TLS; default false ({@code rediss://} sets it). */
    public Builder tls(boolean tls) {
      this.tls = tls;
      return this;
    }

    /**
     * Whether TLS verifies the server's certificate (against {@link #tlsCaFile} or the JVM's trust
     * store) and that it names the host (or {@link #tlsServerName}); default true. False trusts any
     * server, as Go Asynq's CLI {@code --insecure}: for tests only.
     */
    public Builder verifyPeer(boolean verifyPeer) {
      this.verifyPeer = verifyPeer;
      return this;
    }

    /**
     * The CA certificate(s) to trust, as a PEM file; default none: the JVM's trust store (the
     * {@code javax.net.ssl.trustStore} system property, else the JDK's {@code cacerts}), which is
     * also the way to give a JKS or PKCS#12 trust store. Used for the data nodes, the sentinels and
     * every cluster node. Needs TLS ({@link #tls} or a {@code rediss} URI).
     *
     * @param pemFile a readable file with one or more {@code -----BEGIN CERTIFICATE-----} blocks;
     *     {@link #build()} reads it and names it if it holds none
     * @since 0.2
     */
    public Builder tlsCaFile(java.nio.file.Path pemFile) {
      this.tlsCaFile = Objects.requireNonNull(pemFile, "pemFile == null");
      return this;
    }

    /**
     * The name to verify the server's certificate against, and to send as SNI, when it differs from
     * the host connected to (Go Asynq's {@code --tls_server}, Go's {@code tls.Config.ServerName}):
     * e.g. connect to {@code 10.0.0.5} and verify {@code redis.example.com}. The JDK also accepts a
     * certificate that names the host itself. Default: the host. Needs TLS.
     *
     * @param serverName a DNS name
     * @since 0.2
     */
    public Builder tlsServerName(String serverName) {
      Objects.requireNonNull(serverName, "serverName == null");
      if (serverName.isBlank()) {
        throw new IllegalArgumentException("tlsServerName must not be blank");
      }
      this.tlsServerName = serverName.strip();
      return this;
    }

    /**
     * The trust managers that verify the server's certificate, for trust material that is not a PEM
     * file: a JKS or PKCS#12 trust store, or an application framework's SSL bundle (Spring Boot's
     * {@code SslBundle.getManagers().getTrustManagerFactory()}). Default none: {@link #tlsCaFile},
     * else the JVM's trust store. Used for the data nodes, the sentinels and every cluster node.
     * Needs TLS; cannot be combined with {@link #tlsCaFile} or {@link #verifyPeer
     * verifyPeer(false)}. The factory is used as given, never re-initialized; the caller keeps
     * ownership of it.
     *
     * @param factory a factory on which {@code init} was called ({@link #build()} rejects one that
     *     was not)
     * @since 0.2
     */
    public Builder tlsTrustManagerFactory(javax.net.ssl.TrustManagerFactory factory) {
      this.tlsTrustManagerFactory = Objects.requireNonNull(factory, "factory == null");
      return this;
    }

    /**
     * The key managers that hold the client certificate and key to present, for servers that
     * require clients to authenticate with a certificate (mutual TLS, Redis {@code tls-auth-clients
     * yes}): e.g. from a PKCS#12 key store, or Spring Boot's {@code
     * SslBundle.getManagers().getKeyManagerFactory()}. Default none: no client certificate. Used
     * for the data nodes, the sentinels and every cluster node. Needs TLS. The factory is used as
     * given, never re-initialized; the caller keeps ownership of it.
     *
     * @param factory a factory on which {@code init} was called ({@link #build()} rejects one that
     *     was not)
     * @since 0.2
     */
    public Builder tlsKeyManagerFactory(javax.net.ssl.KeyManagerFactory factory) {
      this.tlsKeyManagerFactory = Objects.requireNonNull(factory, "factory == null");
      return this;
    }

    /** Time one command may take; default {@link #DEFAULT_COMMAND_TIMEOUT}. */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = positive("commandTimeout", timeout);
      return this;
    }

    /** Time to establish a connection; default {@link #DEFAULT_CONNECT_TIMEOUT}. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive("connectTimeout", timeout);
      return this;
    }

    /** {@code CLIENT SETNAME} of our connections; default {@link #DEFAULT_CLIENT_NAME}. */
    public Builder clientName(String clientName) {
      Objects.requireNonNull(clientName, "clientName == null");
      if (clientName.isEmpty() || clientName.chars().anyMatch(c -> c <= ' ')) {
        throw new IllegalArgumentException(
            "clientName must be non-empty without spaces, was \"" + clientName + "\"");
      }
      this.clientName = clientName;
      return this;
    }

    /**
     * Uses the caller's Lettuce resources (event loops, timers) instead of creating our own. They
     * are borrowed: the connector never shuts them down.
     */
    public Builder clientResources(ClientResources resources) {
      this.clientResources = Objects.requireNonNull(resources, "resources == null");
      return this;
    }

    /**
     * Builds the connector. Nothing connects yet.
     *
     * @throws IllegalArgumentException if the settings contradict each other (named in the
     *     message), the {@link #tlsCaFile} cannot be read or holds no certificate, or a TLS manager
     *     factory was not initialized
     */
    public RedisConnector build() {
      return new RedisConnector(
          Topology.owned(
              new ConnectorSettings(
                  host,
                  port,
                  username,
                  password,
                  database,
                  sentinels,
                  masterName,
                  sentinelUsername,
                  sentinelPassword,
                  clusterNodes,
                  topologyRefreshPeriod,
                  tls,
                  verifyPeer,
                  tlsCaFile,
                  tlsServerName,
                  tlsTrustManagerFactory,
                  tlsKeyManagerFactory,
                  commandTimeout,
                  connectTimeout,
                  clientName,
                  clientResources)),
          commandTimeout);
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name + " == null");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }
  }
}
