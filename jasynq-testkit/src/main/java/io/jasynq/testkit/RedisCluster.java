package io.jasynq.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis Cluster for tests: three masters with one replica each, six real redis-server processes
 * on 127.0.0.1 with {@code cluster-node-timeout 2000}.
 *
 * <pre>{@code
 * try (RedisCluster cluster = RedisCluster.start()) {
 *   RedisClusterClient client = RedisClusterClient.create(cluster.uri());
 *   ...
 * }
 * }</pre>
 *
 * <p>The cluster is always formed by hand over RESP ({@code CLUSTER MEET}, {@code CLUSTER
 * ADDSLOTS}, {@code CLUSTER REPLICATE}), so {@code redis-cli} is not needed. {@link #start()}
 * returns once every node reports {@code cluster_state:ok} with all 16384 slots covered and every
 * replica is in sync. Ports are chosen below 55535 so the cluster bus port (port + 10000) is valid.
 *
 * <p><b>TLS.</b> {@link #startTls()} gives every node a TLS port with a certificate from one
 * throwaway CA ({@link #caCertificate()}); the cluster bus and replication use TLS ({@code
 * tls-cluster yes}, {@code tls-replication yes}), and the topology a TLS client reads ({@code
 * CLUSTER SLOTS}) names the TLS ports. Clients seed from {@link #tlsUri()} or {@link
 * #tlsSeedUris()}; the plain ports stay open for the testkit's own control.
 *
 * <p>Thread-safe: lifecycle methods are serialized. A JVM shutdown hook kills any process still
 * running when the JVM exits.
 *
 * @since 0.1.0
 */
public final class RedisCluster implements AutoCloseable {
  /** The number of masters: {@value}. */
  public static final int MASTERS = 3;

  /** The number of slots: {@value}. */
  public static final int SLOTS = 16384;

  /** How long start and {@link #killMaster(RedisServer)} wait: 30 seconds. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(RedisCluster.class);
  private static final int START_ATTEMPTS = 5;
  private static final int SLOTS_PER_CALL = 1000;

  private final List<RedisServer> nodes;
  private final boolean tls;
  private final Object lock = new Object();
  private volatile boolean closed;

  private RedisCluster(List<RedisServer> nodes, boolean tls) {
    this.nodes = nodes;
    this.tls = tls;
  }

  /**
   * Starts a cluster with {@link RedisBinary#locate()}.
   *
   * @return a running cluster; the caller owns it and must {@link #close()} it
   * @throws IllegalStateException if a node does not start or the cluster does not form within
   *     {@link #TIMEOUT}
   */
  public static RedisCluster start() {
    return start(RedisBinary.locate());
  }

  /**
   * Starts a cluster running {@code binary}.
   *
   * @param binary the redis-server to run
   * @return a running cluster; the caller owns it and must {@link #close()} it
   * @throws NullPointerException if {@code binary} is null
   * @throws IllegalStateException if a node does not start or the cluster does not form within
   *     {@link #TIMEOUT}
   */
  public static RedisCluster start(RedisBinary binary) {
    Objects.requireNonNull(binary, "binary == null");
    return start(binary, false);
  }

  /**
   * Starts a TLS cluster with {@link RedisBinary#locate()} (see the class comment).
   *
   * @return a running cluster; the caller owns it and must {@link #close()} it
   * @throws IllegalStateException if the binary has no TLS, a node does not start or the cluster
   *     does not form within {@link #TIMEOUT}
   */
  public static RedisCluster startTls() {
    return startTls(RedisBinary.locate());
  }

  /**
   * Starts a TLS cluster running {@code binary} (see the class comment).
   *
   * @param binary the redis-server to run; it must {@link RedisBinary#supportsTls() support TLS}
   * @return a running cluster; the caller owns it and must {@link #close()} it
   * @throws NullPointerException if {@code binary} is null
   * @throws IllegalStateException if the binary has no TLS, a node does not start or the cluster
   *     does not form within {@link #TIMEOUT}
   */
  public static RedisCluster startTls(RedisBinary binary) {
    Objects.requireNonNull(binary, "binary == null");
    return start(binary, true);
  }

  private static RedisCluster start(RedisBinary binary, boolean tls) {
    List<RedisServer> nodes = new ArrayList<>();
    TestCertificateAuthority ca = tls ? TestCertificateAuthority.create() : null;
    try {
      for (int i = 0; i < 2 * MASTERS; i++) {
        nodes.add(startNode(binary, ca));
      }
      RedisCluster cluster = new RedisCluster(Collections.unmodifiableList(nodes), tls);
      cluster.form();
      log.debug("Started {}", cluster);
      return cluster;
    } catch (RuntimeException e) {
      try {
        Topology.closeAll(nodes);
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * A seed URI for Lettuce's {@code RedisClusterClient.create(uri)}: the first running node.
   *
   * @return {@code redis://127.0.0.1:PORT}
   */
  public String uri() {
    return nodes.stream().filter(RedisServer::isRunning).findFirst().orElse(nodes.get(0)).uri();
  }

  /**
   * A URI per node, for {@code RedisClusterClient.create(Iterable)}.
   *
   * @return an unmodifiable list of six {@code redis://127.0.0.1:PORT}
   */
  public List<String> seedUris() {
    return nodes.stream().map(RedisServer::uri).toList();
  }

  /**
   * Whether the cluster was started with {@link #startTls()}.
   *
   * @return true if every node has a TLS port and the bus uses TLS
   */
  public boolean isTls() {
    return tls;
  }

  /**
   * A TLS seed URI: the first running node's TLS port. Verifying clients must trust {@link
   * #caCertificate()}.
   *
   * @return {@code rediss://127.0.0.1:TLSPORT}
   * @throws IllegalStateException if the cluster was started without TLS
   */
  public String tlsUri() {
    requireTls("tlsUri");
    return nodes.stream().filter(RedisServer::isRunning).findFirst().orElse(nodes.get(0)).tlsUri();
  }

  /**
   * A TLS URI per node.
   *
   * @return an unmodifiable list of six {@code rediss://127.0.0.1:TLSPORT}
   * @throws IllegalStateException if the cluster was started without TLS
   */
  public List<String> tlsSeedUris() {
    requireTls("tlsSeedUris");
    return nodes.stream().map(RedisServer::tlsUri).toList();
  }

  /**
   * The PEM file of the CA that signed every node's certificate.
   *
   * @return the CA certificate in the first node's temp directory
   * @throws IllegalStateException if the cluster was started without TLS
   */
  public Path caCertificate() {
    requireTls("caCertificate");
    return nodes.get(0).caCertificate();
  }

  private void requireTls(String accessor) {
    if (!tls) {
      throw new IllegalStateException(
          accessor + "() needs a TLS cluster (RedisCluster.startTls()); " + this + " has none");
    }
  }

  /**
   * All six nodes, in start order: the first three started as masters, the next three as their
   * replicas (node {@code i + 3} replicates node {@code i}). Roles change with {@link
   * #killMaster(RedisServer)}.
   *
   * @return an unmodifiable list of six servers
   */
  public List<RedisServer> nodes() {
    return nodes;
  }

  /**
   * The running masters that serve slots now.
   *
   * @return the masters, in {@link #nodes()} order
   */
  public List<RedisServer> masters() {
    List<NodeLine> lines = clusterNodes();
    return nodes.stream()
        .filter(
            n ->
                lines.stream()
                    .anyMatch(l -> l.port == n.port() && l.isLiveMaster() && !l.slots.isEmpty()))
        .toList();
  }

  /**
   * The master serving {@code key} now ({@code CLUSTER KEYSLOT}, then the slot map).
   *
   * @param key a key, hash tags included
   * @return the master that owns the key's slot
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalStateException if no live master owns the slot
   */
  public RedisServer masterFor(String key) {
    Objects.requireNonNull(key, "key == null");
    int slot = Integer.parseInt(Topology.call(liveNode().port(), "CLUSTER", "KEYSLOT", key));
    for (NodeLine line : clusterNodes()) {
      if (line.isLiveMaster() && line.owns(slot)) {
        return byPort(line.port);
      }
    }
    throw new IllegalStateException("no live master owns slot " + slot + " of key '" + key + "'");
  }

  /**
   * Kills {@code master} with SIGKILL and waits until its replica has been promoted and every
   * running node reports {@code cluster_state:ok} again. The killed node stays stopped.
   *
   * @param master a current master of this cluster
   * @return the promoted replica
   * @throws NullPointerException if {@code master} is null
   * @throws IllegalArgumentException if {@code master} is not a running master of this cluster
   * @throws IllegalStateException if closed, or the promotion does not complete within {@link
   *     #TIMEOUT}
   */
  public RedisServer killMaster(RedisServer master) {
    Objects.requireNonNull(master, "master == null");
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("cannot killMaster " + this + ": it is closed");
      }
      if (!nodes.contains(master) || !masters().contains(master)) {
        throw new IllegalArgumentException(master + " is not a running master of " + this);
      }
      String masterId =
          clusterNodes().stream().filter(l -> l.port == master.port()).findFirst().orElseThrow().id;
      // On a loaded machine a replica can be flagged "fail?" for a moment: wait until one is not,
      // so that it can win the election.
      RedisServer[] replicas = new RedisServer[1];
      Topology.await(
          master + " has a live replica",
          TIMEOUT,
          () ->
              (replicas[0] =
                      clusterNodes().stream()
                          .filter(l -> masterId.equals(l.masterId) && !l.flags.contains("fail"))
                          .map(l -> byPort(l.port))
                          .findFirst()
                          .orElse(null))
                  != null,
          this::describeState);
      RedisServer replica = replicas[0];
      master.kill();
      Topology.await(
          replica + " is promoted and the cluster is ok",
          TIMEOUT,
          () ->
              "master".equals(Topology.infoField(replica.port(), "replication", "role")) && allOk(),
          this::describeState);
      log.debug("Killed master {}; {} promoted", master, replica);
      return replica;
    }
  }

  /** Stops every node and deletes their directories. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      Topology.closeAll(nodes);
    }
  }

  /** Shows the node ports. */
  @Override
  public String toString() {
    return "RedisCluster["
        + nodes.stream().map(n -> Integer.toString(n.port())).collect(Collectors.joining(","))
        + (closed ? ", CLOSED" : "")
        + "]";
  }

  private static RedisServer startNode(RedisBinary binary, @Nullable TestCertificateAuthority ca) {
    IllegalStateException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(20000, 55000);
      if (!Topology.isFree(port) || !Topology.isFree(port + 10000)) {
        continue;
      }
      // With tls-cluster the bus listens on the TLS port + 10000, so that one must be valid too.
      int tlsPort = ca == null ? 0 : ThreadLocalRandom.current().nextInt(20000, 55000);
      if (ca != null
          && (tlsPort == port || !Topology.isFree(tlsPort) || !Topology.isFree(tlsPort + 10000))) {
        continue;
      }
      try {
        RedisServer.Builder node =
            RedisServer.builder()
                .binary(binary)
                .port(port)
                .config("cluster-enabled", "yes")
                .config("cluster-config-file", "nodes.conf")
                .config("cluster-node-timeout", "2000")
                .config("repl-diskless-sync-delay", "0");
        if (ca != null) {
          node =
              node.tls(ca)
                  .tlsPort(tlsPort)
                  .config("tls-cluster", "yes")
                  .config("tls-replication", "yes");
        }
        return node.start();
      } catch (IllegalStateException e) {
        log.debug("Cluster node could not start on port {}; trying another: {}", port, e);
        last = e;
      }
    }
    throw new IllegalStateException(
        "no cluster node started in " + START_ATTEMPTS + " attempts", last);
  }

  private void form() {
    RedisServer first = nodes.get(0);
    for (RedisServer node : nodes.subList(1, nodes.size())) {
      // MEET derives the bus port as port + 10000: with tls-cluster, that of the TLS port.
      int meetPort = tls ? node.tlsPort() : node.port();
      Topology.call(first.port(), "CLUSTER", "MEET", RedisServer.HOST, Integer.toString(meetPort));
    }
    for (int m = 0; m < MASTERS; m++) {
      int from = m * SLOTS / MASTERS;
      int to = (m + 1) * SLOTS / MASTERS - 1;
      for (int start = from; start <= to; start += SLOTS_PER_CALL) {
        int end = Math.min(to, start + SLOTS_PER_CALL - 1);
        String[] args = new String[end - start + 3];
        args[0] = "CLUSTER";
        args[1] = "ADDSLOTS";
        for (int slot = start; slot <= end; slot++) {
          args[slot - start + 2] = Integer.toString(slot);
        }
        Topology.call(nodes.get(m).port(), args);
      }
    }
    Topology.await(
        "every node knows all six",
        TIMEOUT,
        () ->
            nodes.stream()
                .allMatch(
                    n -> {
                      List<NodeLine> lines = parse(Topology.tryCall(n.port(), "CLUSTER", "NODES"));
                      return lines.size() == nodes.size()
                          && lines.stream()
                              .noneMatch(
                                  l -> l.flags.contains("handshake") || l.flags.contains("noaddr"));
                    }),
        this::describeState);
    for (int m = 0; m < MASTERS; m++) {
      String masterId =
          Objects.requireNonNull(Topology.call(nodes.get(m).port(), "CLUSTER", "MYID"));
      Topology.call(nodes.get(m + MASTERS).port(), "CLUSTER", "REPLICATE", masterId);
    }
    Topology.await("the cluster is ok", TIMEOUT, this::allOk, this::describeState);
    Topology.await(
        "every replica is in sync",
        TIMEOUT,
        () ->
            nodes.subList(0, MASTERS).stream()
                .allMatch(
                    m -> {
                      String info = Topology.tryCall(m.port(), "INFO", "replication");
                      return info != null
                          && "1".equals(Topology.field(info, "connected_slaves"))
                          && Objects.requireNonNullElse(Topology.field(info, "slave0"), "")
                              .contains("state=online");
                    }),
        this::describeState);
  }

  private boolean allOk() {
    return nodes.stream()
        .filter(RedisServer::isRunning)
        .allMatch(
            n -> {
              String info = Topology.tryCall(n.port(), "CLUSTER", "INFO");
              return info != null
                  && "ok".equals(Topology.field(info, "cluster_state"))
                  && Integer.toString(SLOTS).equals(Topology.field(info, "cluster_slots_ok"));
            });
  }

  private String describeState() {
    return nodes.stream()
        .filter(RedisServer::isRunning)
        .map(n -> n.port() + ": " + Topology.tryCall(n.port(), "CLUSTER", "NODES"))
        .collect(Collectors.joining("\n"));
  }

  private RedisServer liveNode() {
    return nodes.stream()
        .filter(RedisServer::isRunning)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no node of " + this + " is running"));
  }

  private RedisServer byPort(int port) {
    return nodes.stream()
        .filter(n -> n.port() == port)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("unknown node port " + port));
  }

  private List<NodeLine> clusterNodes() {
    return parse(Topology.call(liveNode().port(), "CLUSTER", "NODES"));
  }

  /** One line of {@code CLUSTER NODES}. */
  private record NodeLine(String id, int port, String flags, String masterId, List<int[]> slots) {
    boolean isLiveMaster() {
      return flags.contains("master") && !flags.contains("fail");
    }

    boolean owns(int slot) {
      return slots.stream().anyMatch(r -> r[0] <= slot && slot <= r[1]);
    }
  }

  private static List<NodeLine> parse(@Nullable String reply) {
    List<NodeLine> lines = new ArrayList<>();
    if (reply == null) {
      return lines;
    }
    for (String line : reply.split("\r?\n")) {
      String[] f = line.strip().split(" ");
      if (f.length < 8) {
        continue;
      }
      String address = f[1];
      int at = address.indexOf('@');
      String hostPort = at >= 0 ? address.substring(0, at) : address;
      int colon = hostPort.lastIndexOf(':');
      int port;
      try {
        port = Integer.parseInt(hostPort.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
      List<int[]> slots = new ArrayList<>();
      for (int i = 8; i < f.length; i++) {
        if (f[i].startsWith("[")) {
          continue; // a slot being migrated or imported
        }
        String[] range = f[i].split("-");
        int from = Integer.parseInt(range[0]);
        slots.add(new int[] {from, range.length > 1 ? Integer.parseInt(range[1]) : from});
      }
      lines.add(new NodeLine(f[0], port, f[2], f[3], slots));
    }
    return lines;
  }
}
