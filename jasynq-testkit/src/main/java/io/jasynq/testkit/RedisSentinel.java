package io.jasynq.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.NullUnmarked;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis Sentinel topology for tests: one master, one replica and three sentinels, all real
 * processes on 127.0.0.1 with free ports.
 *
 * <pre>{@code
 * try (RedisSentinel sentinel = RedisSentinel.start()) {
 *   RedisClient client = RedisClient.create(sentinel.uri());
 *   ...
 *   sentinel.failover(); // the replica becomes master; Lettuce follows through the sentinels
 * }
 * }</pre>
 *
 * <p>{@link #start()} returns once the replica is in sync and every sentinel reports the master,
 * the replica and the two other sentinels. The sentinels use a quorum of 2, {@code
 * down-after-milliseconds 1000}, {@code failover-timeout 5000} and {@code parallel-syncs 1}. Note
 * that Sentinel refuses a second failover of the same master for twice the failover timeout (10
 * seconds) after the first.
 *
 * <p><b>TLS.</b> {@code RedisSentinel.builder().tls().start()} gives every process (servers and
 * sentinels) a TLS port with a certificate from one throwaway CA ({@link #caCertificate()}); the
 * replica replicates and the sentinels monitor over TLS ({@code tls-replication yes}), so the
 * sentinels name the servers' TLS ports. Clients use {@link #tlsUri()}.
 *
 * <p>Thread-safe: lifecycle methods are serialized. A JVM shutdown hook kills any process still
 * running when the JVM exits.
 *
 * @since 0.1.0
 */
@NullUnmarked // not yet checked by NullAway: its optional TLS, CA and password are null when unset
public final class RedisSentinel implements AutoCloseable {
  /** The default master name: {@value}. */
  public static final String DEFAULT_MASTER_NAME = "mymaster";

  /** The number of sentinel processes: {@value}. */
  public static final int SENTINELS = 3;

  /** How long start, {@link #failover()} and {@link #killMaster()} wait: 30 seconds. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(RedisSentinel.class);
  static final int QUORUM = 2;

  private final String masterName;
  private final List<RedisServer> servers;
  private final List<SentinelProcess> sentinels;
  private final boolean tls;
  private final Object lock = new Object();
  private volatile boolean closed;

  private RedisSentinel(
      String masterName, List<RedisServer> servers, List<SentinelProcess> sentinels, boolean tls) {
    this.masterName = masterName;
    this.servers = servers;
    this.sentinels = sentinels;
    this.tls = tls;
  }

  /**
   * Starts a topology with the defaults: master name {@value #DEFAULT_MASTER_NAME}, {@link
   * RedisBinary#locate()}.
   *
   * @return a running topology; the caller owns it and must {@link #close()} it
   * @throws IllegalStateException if a process does not start or the topology does not settle
   *     within {@link #TIMEOUT}
   */
  public static RedisSentinel start() {
    return builder().start();
  }

  /**
   * A builder with the defaults of {@link #start()}.
   *
   * @return an immutable builder; each setter returns a new one
   */
  public static Builder builder() {
    return new Builder(DEFAULT_MASTER_NAME, null, false);
  }

  /**
   * The name the sentinels monitor the master under.
   *
   * @return e.g. {@value #DEFAULT_MASTER_NAME}
   */
  public String masterName() {
    return masterName;
  }

  /**
   * The sentinels' ports.
   *
   * @return an unmodifiable list of {@value #SENTINELS} ports
   */
  public List<Integer> sentinelPorts() {
    return sentinels.stream().map(SentinelProcess::port).toList();
  }

  /**
   * A Lettuce sentinel URI, for {@code RedisClient.create(uri)}. In a TLS topology the sentinels
   * name the servers' TLS ports, so clients use {@link #tlsUri()} instead.
   *
   * @return {@code redis-sentinel://127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3?sentinelMasterId=NAME}
   */
  public String uri() {
    return "redis-sentinel://"
        + sentinels.stream()
            .map(s -> RedisServer.HOST + ":" + s.port())
            .collect(Collectors.joining(","))
        + "?sentinelMasterId="
        + masterName;
  }

  /**
   * Whether the topology was started with {@link Builder#tls()}.
   *
   * @return true if every process has a TLS port
   */
  public boolean isTls() {
    return tls;
  }

  /**
   * The sentinels' TLS ports.
   *
   * @return an unmodifiable list of {@value #SENTINELS} ports
   * @throws IllegalStateException if the topology was started without TLS
   */
  public List<Integer> tlsSentinelPorts() {
    requireTls("tlsSentinelPorts");
    return sentinels.stream().map(SentinelProcess::tlsPort).toList();
  }

  /**
   * A Lettuce sentinel URI over TLS, to the sentinels' TLS ports; the master it names is reached
   * over TLS too. Verifying clients must trust {@link #caCertificate()}.
   *
   * @return {@code rediss-sentinel://127.0.0.1:T1,127.0.0.1:T2,127.0.0.1:T3?sentinelMasterId=NAME}
   * @throws IllegalStateException if the topology was started without TLS
   */
  public String tlsUri() {
    return "rediss-sentinel://"
        + tlsSentinelPorts().stream()
            .map(p -> RedisServer.HOST + ":" + p)
            .collect(Collectors.joining(","))
        + "?sentinelMasterId="
        + masterName;
  }

  /**
   * The PEM file of the CA that signed every certificate of the topology.
   *
   * @return the CA certificate in the first server's temp directory
   * @throws IllegalStateException if the topology was started without TLS
   */
  public Path caCertificate() {
    requireTls("caCertificate");
    return servers.get(0).caCertificate();
  }

  /**
   * The two data nodes: the one started as master first, then the one started as replica. Their
   * roles change with {@link #failover()} and {@link #killMaster()}.
   *
   * @return an unmodifiable list of two servers
   */
  public List<RedisServer> servers() {
    return servers;
  }

  /**
   * The server that is master now, as a sentinel reports it.
   *
   * @return the current master
   * @throws IllegalStateException if no sentinel answers or the address is not one of ours
   */
  public RedisServer master() {
    int port = masterPortFromSentinels();
    return servers.stream()
        .filter(s -> announced(s) == port)
        .findFirst()
        .orElseThrow(
            () -> new IllegalStateException("sentinels report unknown master port " + port));
  }

  /**
   * The server that is not master now (it may be stopped after {@link #killMaster()}).
   *
   * @return the current replica
   */
  public RedisServer replica() {
    RedisServer master = master();
    return servers.get(0) == master ? servers.get(1) : servers.get(0);
  }

  /**
   * Runs {@code SENTINEL FAILOVER} and waits until every sentinel reports the former replica as
   * master and it reports {@code role:master}. The sentinels turn the former master into a replica
   * of the new one some seconds later (about 10); this method does not wait for that. Until then a
   * client still connected to the former master keeps writing there; the demotion disconnects it,
   * and a sentinel-aware client such as Lettuce reconnects to the new master.
   *
   * @return the new master
   * @throws IllegalStateException if closed, or the failover does not complete within {@link
   *     #TIMEOUT}
   */
  public RedisServer failover() {
    synchronized (lock) {
      requireOpen("failover");
      RedisServer oldMaster = master();
      RedisServer newMaster = other(oldMaster);
      Topology.call(sentinels.get(0).port(), "SENTINEL", "FAILOVER", masterName);
      awaitMaster(newMaster);
      log.debug("Failover of {}: {} -> {}", masterName, oldMaster, newMaster);
      return newMaster;
    }
  }

  /**
   * Kills the current master with SIGKILL and waits until the sentinels have promoted the replica
   * (about 1 second to detect, then the election). The killed server stays stopped; there is no
   * replica left until it is {@link RedisServer#restart() restarted}.
   *
   * @return the new master
   * @throws IllegalStateException if closed, or the promotion does not complete within {@link
   *     #TIMEOUT}
   */
  public RedisServer killMaster() {
    synchronized (lock) {
      requireOpen("killMaster");
      RedisServer oldMaster = master();
      RedisServer newMaster = other(oldMaster);
      oldMaster.kill();
      awaitMaster(newMaster);
      log.debug("Killed master {} of {}; {} promoted", oldMaster, masterName, newMaster);
      return newMaster;
    }
  }

  /** Stops the sentinels, then the servers, and deletes their directories. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      List<AutoCloseable> all = new ArrayList<>(sentinels);
      all.addAll(servers);
      Topology.closeAll(all);
    }
  }

  /** Shows the master name and the ports. */
  @Override
  public String toString() {
    return "RedisSentinel["
        + masterName
        + ", servers "
        + servers.stream().map(s -> Integer.toString(s.port())).collect(Collectors.joining(","))
        + ", sentinels "
        + sentinelPorts()
        + (closed ? ", CLOSED" : "")
        + "]";
  }

  private void requireTls(String accessor) {
    if (!tls) {
      throw new IllegalStateException(
          accessor
              + "() needs a TLS topology (RedisSentinel.builder().tls()); "
              + this
              + " has none");
    }
  }

  /** The port sentinels report for {@code server}: its TLS port in a TLS topology. */
  private int announced(RedisServer server) {
    return tls ? server.tlsPort() : server.port();
  }

  private void requireOpen(String operation) {
    if (closed) {
      throw new IllegalStateException("cannot " + operation + " " + this + ": it is closed");
    }
  }

  private RedisServer other(RedisServer server) {
    return servers.get(0) == server ? servers.get(1) : servers.get(0);
  }

  private int masterPortFromSentinels() {
    for (SentinelProcess sentinel : sentinels) {
      MasterView view = view(sentinel.port());
      if (view != null) {
        return view.port;
      }
    }
    throw new IllegalStateException("no sentinel of " + this + " reports master " + masterName);
  }

  /** What one sentinel's {@code INFO sentinel} says about our master. */
  private record MasterView(String status, int port, int replicas, int sentinels) {}

  private MasterView view(int sentinelPort) {
    String info = Topology.tryCall(sentinelPort, "INFO", "sentinel");
    if (info == null) {
      return null;
    }
    for (String line : info.split("\r?\n")) {
      if (!line.startsWith("master") || !line.contains("name=" + masterName + ",")) {
        continue;
      }
      String status = null;
      int port = -1;
      int replicas = -1;
      int sentinelCount = -1;
      for (String pair : line.substring(line.indexOf(':') + 1).split(",")) {
        String[] kv = pair.split("=", 2);
        if (kv.length != 2) {
          continue;
        }
        switch (kv[0]) {
          case "status" -> status = kv[1];
          case "address" -> port = Integer.parseInt(kv[1].substring(kv[1].lastIndexOf(':') + 1));
          case "slaves" -> replicas = Integer.parseInt(kv[1]);
          case "sentinels" -> sentinelCount = Integer.parseInt(kv[1]);
          default -> {
            // Other fields are not needed.
          }
        }
      }
      return new MasterView(status, port, replicas, sentinelCount);
    }
    return null;
  }

  private String views() {
    return sentinels.stream()
        .map(s -> s.port() + "=" + view(s.port()))
        .collect(Collectors.joining(", "));
  }

  private void awaitMaster(RedisServer master) {
    Topology.await(
        "every sentinel reports " + master + " as master of " + masterName,
        TIMEOUT,
        () ->
            sentinels.stream()
                    .map(s -> view(s.port()))
                    .allMatch(v -> v != null && v.port == announced(master))
                && "master".equals(Topology.infoField(master.port(), "replication", "role")),
        this::views);
  }

  private void awaitInSync(RedisServer master) {
    Topology.await(
        master + " has one replica online",
        TIMEOUT,
        () -> {
          String info = Topology.tryCall(master.port(), "INFO", "replication");
          return info != null
              && "1".equals(Topology.field(info, "connected_slaves"))
              && Objects.requireNonNullElse(Topology.field(info, "slave0"), "")
                  .contains("state=online");
        },
        () -> Topology.tryCall(master.port(), "INFO", "replication"));
  }

  private void awaitSettled(RedisServer master) {
    awaitInSync(master);
    Topology.await(
        "every sentinel knows the master, the replica and the other sentinels",
        TIMEOUT,
        () ->
            sentinels.stream()
                .map(s -> view(s.port()))
                .allMatch(
                    v ->
                        v != null
                            && "ok".equals(v.status)
                            && v.port == announced(master)
                            && v.replicas == 1
                            && v.sentinels == SENTINELS),
        this::views);
  }

  private static RedisSentinel start(Builder builder) {
    RedisBinary binary = builder.binary != null ? builder.binary : RedisBinary.locate();
    RedisServer.Builder servers =
        RedisServer.builder().binary(binary).config("repl-diskless-sync-delay", "0");
    TestCertificateAuthority ca = null;
    if (builder.tls) {
      ca = TestCertificateAuthority.create();
      servers = servers.tls(ca).config("tls-replication", "yes");
    }
    List<AutoCloseable> started = new ArrayList<>();
    try {
      RedisServer master = servers.start();
      started.add(master);
      int masterPort = builder.tls ? master.tlsPort() : master.port();
      RedisServer replica =
          servers.config("replicaof", RedisServer.HOST + " " + masterPort).start();
      started.add(replica);
      List<SentinelProcess> sentinels = new ArrayList<>();
      for (int i = 0; i < SENTINELS; i++) {
        SentinelProcess sentinel =
            SentinelProcess.start(binary.executable(), builder.masterName, masterPort, ca);
        started.add(sentinel);
        sentinels.add(sentinel);
      }
      RedisSentinel topology =
          new RedisSentinel(
              builder.masterName,
              List.of(master, replica),
              Collections.unmodifiableList(sentinels),
              builder.tls);
      topology.awaitSettled(master);
      log.debug("Started {}", topology);
      return topology;
    } catch (RuntimeException e) {
      Collections.reverse(started);
      try {
        Topology.closeAll(started);
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * Configures a {@link RedisSentinel}. Immutable: every setter returns a new builder. Setters
   * validate at once and name the bad value.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private final String masterName;
    private final RedisBinary binary;
    private final boolean tls;

    private Builder(String masterName, RedisBinary binary, boolean tls) {
      this.masterName = masterName;
      this.binary = binary;
      this.tls = tls;
    }

    /**
     * The name the sentinels monitor the master under. Default {@value #DEFAULT_MASTER_NAME}.
     *
     * @param masterName letters, digits, '.', '_' and '-'
     * @return a new builder
     * @throws NullPointerException if {@code masterName} is null
     * @throws IllegalArgumentException if {@code masterName} is empty or has other characters
     */
    public Builder masterName(String masterName) {
      Objects.requireNonNull(masterName, "masterName == null");
      if (!NAME.matcher(masterName).matches()) {
        throw new IllegalArgumentException(
            "masterName must be letters, digits, '.', '_' and '-', was '" + masterName + "'");
      }
      return new Builder(masterName, binary, tls);
    }

    /**
     * The redis-server to run for the servers and the sentinels. Default: {@link
     * RedisBinary#locate()}.
     *
     * @param binary the binary
     * @return a new builder
     * @throws NullPointerException if {@code binary} is null
     */
    public Builder binary(RedisBinary binary) {
      Objects.requireNonNull(binary, "binary == null");
      return new Builder(masterName, binary, tls);
    }

    /**
     * Gives every process a TLS port with a certificate from one throwaway CA, and makes
     * replication and monitoring use TLS (see {@link RedisSentinel}). Default: no TLS. Needs a
     * binary built with TLS ({@link RedisBinary#supportsTls()}).
     *
     * @return a new builder
     */
    public Builder tls() {
      return new Builder(masterName, binary, true);
    }

    /**
     * Starts the master, the replica and the sentinels, and waits until they have settled.
     *
     * @return a running topology; the caller owns it and must {@link RedisSentinel#close()} it
     * @throws IllegalStateException if a process does not start or the topology does not settle
     *     within {@link #TIMEOUT}
     */
    public RedisSentinel start() {
      return RedisSentinel.start(this);
    }
  }
}
