package io.jasynq.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real {@code redis-server} process on 127.0.0.1, with persistence off and its own temp
 * directory, for tests.
 *
 * <pre>{@code
 * try (RedisServer server = RedisServer.start()) {
 *   RedisClient client = RedisClient.create(server.uri());
 *   ...
 * }
 * }</pre>
 *
 * <p><b>TLS.</b> {@code RedisServer.builder().tls().start()} also opens a TLS port ({@link
 * #tlsPort()}, {@link #tlsUri()}) with a server certificate for {@code 127.0.0.1} and {@code
 * localhost}, signed by a throwaway CA made at start ({@link #caCertificate()}); see {@link
 * Builder#tls()}. The plain {@link #port()} stays open for the testkit's own control and for
 * assertions.
 *
 * <pre>{@code
 * try (RedisServer server = RedisServer.builder().tls().start()) {
 *   RedisConnector redis = RedisConnector.builder().uri(server.tlsUri())
 *       .tlsCaFile(server.caCertificate()).build();
 *   ...
 * }
 * }</pre>
 *
 * <p>The server can be {@link #stop() stopped}, {@link #kill() killed} and {@link #restart()
 * restarted} on the same port to simulate outages; {@link #close()} stops it for good and deletes
 * its directory. A JVM shutdown hook kills any server still running when the JVM exits (after its
 * {@link Builder#exitGrace(Duration) exit grace}, if it has one).
 *
 * <p>Thread-safe: lifecycle methods are serialized; accessors never block.
 *
 * @since 0.1.0
 */
public final class RedisServer implements AutoCloseable {
  /** The address every server binds: {@value}. */
  public static final String HOST = "127.0.0.1";

  /** How long {@link #restart()} keeps trying to bind the old port: 5 seconds. */
  public static final Duration RESTART_BIND_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(RedisServer.class);
  private static final int FREE_PORT_ATTEMPTS = 5;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private enum State {
    RUNNING,
    STOPPED,
    CLOSED
  }

  // Immutable after construction.
  private final RedisBinary binary;
  private final int port;
  private final String password;
  private final Path directory;
  private final ServerLauncher launcher;
  private final int tlsPort; // 0: no TLS
  private final TlsFiles tls; // null: no TLS

  // Shared: written only while holding lock; volatile so accessors and toString read without it.
  private final Object lock = new Object();
  private volatile State state;
  private volatile Process process;

  private RedisServer(
      RedisBinary binary,
      int port,
      String password,
      Path directory,
      ServerLauncher launcher,
      int tlsPort,
      TlsFiles tls,
      Process process) {
    this.binary = binary;
    this.port = port;
    this.password = password;
    this.directory = directory;
    this.launcher = launcher;
    this.tlsPort = tlsPort;
    this.tls = tls;
    this.process = process;
    this.state = State.RUNNING;
  }

  /**
   * Starts a server with the defaults: {@link RedisBinary#locate()}, a free port, no password.
   *
   * @return a running server; the caller owns it and must {@link #close()} it
   * @throws IllegalStateException if no binary is found or the server does not come up within 10
   *     seconds (the message includes the tail of its log)
   */
  public static RedisServer start() {
    return builder().start();
  }

  /**
   * A builder with the defaults of {@link #start()}.
   *
   * @return an immutable builder; each setter returns a new one
   */
  public static Builder builder() {
    return new Builder(
        null,
        0,
        null,
        Map.of(),
        false,
        0,
        null,
        TestCertificateAuthority.LOOPBACK_NAMES,
        Duration.ZERO);
  }

  /**
   * The host every server listens on.
   *
   * @return {@value #HOST}
   */
  public String host() {
    return HOST;
  }

  /**
   * The TCP port; it stays the same across {@link #restart()}.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * A Redis URI for clients such as Lettuce's {@code RedisClient.create(uri)}.
   *
   * @return {@code redis://127.0.0.1:PORT}, or {@code redis://:PASSWORD@127.0.0.1:PORT} (password
   *     URL-encoded) when a password is set
   */
  public String uri() {
    return uri("redis://", port);
  }

  /**
   * Whether the server has a TLS port ({@link Builder#tls()}).
   *
   * @return true if started with TLS
   */
  public boolean isTls() {
    return tls != null;
  }

  /**
   * The TLS port; it stays the same across {@link #restart()}.
   *
   * @return the port
   * @throws IllegalStateException if the server was started without TLS
   */
  public int tlsPort() {
    requireTls("tlsPort");
    return tlsPort;
  }

  /**
   * A TLS Redis URI for the TLS port. Verifying clients must trust {@link #caCertificate()}.
   *
   * @return {@code rediss://127.0.0.1:TLSPORT}, with {@code :PASSWORD@} as in {@link #uri()}
   * @throws IllegalStateException if the server was started without TLS
   */
  public String tlsUri() {
    requireTls("tlsUri");
    return uri("rediss://", tlsPort);
  }

  /**
   * The PEM file of the CA that signed the server's certificate, in the server's temp directory
   * (deleted by {@link #close()}).
   *
   * @return the path of {@code tls/ca.crt}
   * @throws IllegalStateException if the server was started without TLS
   */
  public Path caCertificate() {
    requireTls("caCertificate");
    return tls.ca();
  }

  /**
   * The PEM file of another throwaway CA, which did not sign the server's certificate: a client
   * that trusts only it must refuse the server.
   *
   * @return the path of {@code tls/wrong-ca.crt}
   * @throws IllegalStateException if the server was started without TLS
   */
  public Path wrongCaCertificate() {
    requireTls("wrongCaCertificate");
    return tls.wrongCa();
  }

  /**
   * The names in the server certificate's subject alternative names.
   *
   * @return e.g. {@link TestCertificateAuthority#LOOPBACK_NAMES}
   * @throws IllegalStateException if the server was started without TLS
   */
  public List<String> tlsServerNames() {
    requireTls("tlsServerNames");
    return tls.names();
  }

  private String uri(String scheme, int port) {
    if (password == null) {
      return scheme + HOST + ":" + port;
    }
    String encoded = URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20");
    return scheme + ":" + encoded + "@" + HOST + ":" + port;
  }

  private void requireTls(String accessor) {
    if (tls == null) {
      throw new IllegalStateException(
          accessor + "() needs a TLS server (RedisServer.builder().tls()); " + this + " has none");
    }
  }

  /**
   * The server's version, as its binary reported it.
   *
   * @return e.g. {@code "7.0.15"}
   */
  public String version() {
    return binary.version();
  }

  /**
   * The binary this server runs.
   *
   * @return the binary
   */
  public RedisBinary binary() {
    return binary;
  }

  /**
   * Whether the process is alive: false after {@link #stop()}, {@link #kill()}, {@link #close()} or
   * a crash.
   *
   * @return true if the redis-server process is running
   */
  public boolean isRunning() {
    Process current = process;
    return state == State.RUNNING && current != null && current.isAlive();
  }

  /**
   * Stops the server gracefully: {@code SHUTDOWN NOSAVE}, then SIGTERM and finally SIGKILL if it
   * lingers, and waits until the process has exited. Does nothing if it is not running. The server
   * can be {@link #restart() restarted}.
   *
   * @throws IllegalStateException if the server is closed
   */
  public void stop() {
    synchronized (lock) {
      requireOpen("stop");
      stopProcess();
    }
  }

  /**
   * Kills the server with SIGKILL (a crash, as far as clients can tell) and waits until the process
   * has exited. Does nothing if it is not running. The server can be {@link #restart() restarted}.
   *
   * @throws IllegalStateException if the server is closed
   */
  public void kill() {
    synchronized (lock) {
      requireOpen("kill");
      Process current = process;
      if (current != null) {
        ServerLauncher.destroy(current);
        log.debug("Killed redis-server on port {}", port);
      }
      process = null;
      state = State.STOPPED;
    }
  }

  /**
   * Starts the server again on the same port, with the same configuration and an empty dataset;
   * stops it first if it is running. Retries binding for up to {@link #RESTART_BIND_TIMEOUT} if the
   * port is not free yet.
   *
   * @throws IllegalStateException if the server is closed, or does not come up
   */
  public void restart() {
    synchronized (lock) {
      requireOpen("restart");
      stopProcess();
      long deadline = System.nanoTime() + RESTART_BIND_TIMEOUT.toNanos();
      while (true) {
        try {
          process = launcher.launch(port, tlsPort);
          state = State.RUNNING;
          log.debug("Restarted redis-server on port {}", port);
          return;
        } catch (ServerLauncher.PortInUseException e) {
          if (System.nanoTime() - deadline > 0) {
            throw new IllegalStateException(
                "cannot restart redis-server: port "
                    + port
                    + " still in use after "
                    + RESTART_BIND_TIMEOUT.toSeconds()
                    + "s",
                e);
          }
          pauseBeforeRetry();
        }
      }
    }
  }

  /**
   * Stops the server (as {@link #stop()}) and deletes its temp directory. Idempotent and safe from
   * any thread; afterwards only the accessors and {@code toString()} may be used.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (state == State.CLOSED) {
        return;
      }
      try {
        stopProcess();
      } finally {
        state = State.CLOSED;
        TestkitFiles.deleteRecursively(directory);
        ProcessReaper.unregisterDirectory(directory);
      }
    }
  }

  /** Shows the port, the state and the version. */
  @Override
  public String toString() {
    State current = state;
    String shown = current == State.RUNNING && !isRunning() ? "EXITED" : current.name();
    return "RedisServer["
        + HOST
        + ":"
        + port
        + (tls == null ? "" : ", tls " + tlsPort)
        + ", "
        + shown
        + ", redis "
        + version()
        + "]";
  }

  /** The pid of the running redis-server, or -1 when none runs. */
  long pid() {
    Process current = process;
    return current == null ? -1 : current.pid();
  }

  /** The server's temp directory (its {@code dir} and log). */
  Path directory() {
    return directory;
  }

  private void requireOpen(String operation) {
    if (state == State.CLOSED) {
      throw new IllegalStateException("cannot " + operation + " " + this + ": it is closed");
    }
  }

  // Called with lock held.
  private void stopProcess() {
    Process current = process;
    process = null;
    if (state == State.RUNNING) {
      state = State.STOPPED;
    }
    if (current == null) {
      return;
    }
    if (current.isAlive()) {
      try {
        Resp.shutdownNoSave(port, password);
      } catch (IOException e) {
        log.debug("SHUTDOWN NOSAVE on port {} failed ({}); terminating the process", port, e);
      }
      if (!awaitExit(current, STOP_TIMEOUT)) {
        current.destroy();
        awaitExit(current, STOP_TIMEOUT);
      }
    }
    ServerLauncher.destroy(current);
    log.debug("Stopped redis-server on port {}", port);
  }

  private static boolean awaitExit(Process process, Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void pauseBeforeRetry() {
    try {
      // A lifecycle retry in test tooling, not a test assertion: a plain short back-off is fine.
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while restarting redis-server", e);
    }
  }

  private static RedisServer start(Builder builder) {
    RedisBinary binary = builder.binary != null ? builder.binary : RedisBinary.locate();
    if (builder.tls && !binary.supportsTls()) {
      throw new IllegalStateException(
          "cannot start a TLS redis-server: "
              + binary
              + " was built without TLS (use a build with BUILD_TLS=yes, such as Debian's"
              + " redis-server, via -D"
              + RedisBinary.PATH_PROPERTY
              + ")");
    }
    Path directory = createDirectory();
    try {
      TlsFiles tls =
          builder.tls
              ? TlsFiles.write(
                  directory,
                  builder.ca != null ? builder.ca : TestCertificateAuthority.create(),
                  builder.tlsNames)
              : null;
      ServerLauncher launcher =
          new ServerLauncher(
              binary, directory, builder.password, builder.config, tls, builder.exitGrace);
      if (builder.port != 0) {
        int tlsPort = tls == null ? 0 : builder.tlsPort != 0 ? builder.tlsPort : freePort();
        Process process = launchOrFail(launcher, builder.port, tlsPort);
        return new RedisServer(
            binary, builder.port, builder.password, directory, launcher, tlsPort, tls, process);
      }
      ServerLauncher.PortInUseException last = null;
      for (int attempt = 1; attempt <= FREE_PORT_ATTEMPTS; attempt++) {
        int port = freePort();
        int tlsPort = tls == null ? 0 : builder.tlsPort != 0 ? builder.tlsPort : freePort();
        try {
          Process process = launcher.launch(port, tlsPort);
          return new RedisServer(
              binary, port, builder.password, directory, launcher, tlsPort, tls, process);
        } catch (ServerLauncher.PortInUseException e) {
          log.debug("Free port {} was taken before redis-server bound it; trying another", port);
          last = e;
        }
      }
      throw new IllegalStateException(
          "redis-server found no free port in " + FREE_PORT_ATTEMPTS + " attempts", last);
    } catch (RuntimeException e) {
      TestkitFiles.deleteRecursively(directory);
      ProcessReaper.unregisterDirectory(directory);
      throw e;
    }
  }

  private static Process launchOrFail(ServerLauncher launcher, int port, int tlsPort) {
    try {
      return launcher.launch(port, tlsPort);
    } catch (ServerLauncher.PortInUseException e) {
      throw new IllegalStateException("cannot start redis-server: " + e.getMessage(), e);
    }
  }

  private static Path createDirectory() {
    try {
      Path directory = Files.createTempDirectory("jasynq-testkit-redis-");
      ProcessReaper.registerDirectory(directory);
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp directory for redis-server", e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + HOST, e);
    }
  }

  /**
   * Configures a {@link RedisServer}. Immutable: every setter returns a new builder, so a builder
   * can be shared and reused. Setters validate at once and name the bad value.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    /** The longest {@link #exitGrace(Duration)}: 60 seconds. */
    public static final Duration MAX_EXIT_GRACE = Duration.ofSeconds(60);

    private static final Pattern CONFIG_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Set<String> MANAGED =
        Set.of(
            "port",
            "bind",
            "daemonize",
            "dir",
            "logfile",
            "requirepass",
            "tls-port",
            "tls-cert-file",
            "tls-key-file",
            "tls-ca-cert-file",
            "tls-auth-clients");

    private final RedisBinary binary;
    private final int port;
    private final String password;
    private final Map<String, String> config;
    private final boolean tls;
    private final int tlsPort;
    private final TestCertificateAuthority ca; // null: a fresh one at start
    private final List<String> tlsNames;
    private final Duration exitGrace;

    private Builder(
        RedisBinary binary,
        int port,
        String password,
        Map<String, String> config,
        boolean tls,
        int tlsPort,
        TestCertificateAuthority ca,
        List<String> tlsNames,
        Duration exitGrace) {
      this.binary = binary;
      this.port = port;
      this.password = password;
      this.config = config;
      this.tls = tls;
      this.tlsPort = tlsPort;
      this.ca = ca;
      this.tlsNames = tlsNames;
      this.exitGrace = exitGrace;
    }

    /**
     * The redis-server to run. Default: {@link RedisBinary#locate()}, called by {@link #start()}.
     *
     * @param binary the binary
     * @return a new builder
     * @throws NullPointerException if {@code binary} is null
     */
    public Builder binary(RedisBinary binary) {
      Objects.requireNonNull(binary, "binary == null");
      return new Builder(binary, port, password, config, tls, tlsPort, ca, tlsNames, exitGrace);
    }

    /**
     * The port to listen on. Default {@code 0}: pick a free port (and pick again if another process
     * takes it before redis-server binds it). A fixed port is used as is and the start fails if it
     * is taken.
     *
     * @param port 0 for a free port, or 1 to 65535
     * @return a new builder
     * @throws IllegalArgumentException if {@code port} is outside 0 to 65535
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
      }
      return new Builder(binary, port, password, config, tls, tlsPort, ca, tlsNames, exitGrace);
    }

    /**
     * Requires clients to authenticate ({@code requirepass}). Default: no password.
     *
     * @param password a non-empty password
     * @return a new builder
     * @throws NullPointerException if {@code password} is null
     * @throws IllegalArgumentException if {@code password} is empty
     */
    public Builder password(String password) {
      Objects.requireNonNull(password, "password == null");
      if (password.isEmpty()) {
        throw new IllegalArgumentException("password must not be empty");
      }
      return new Builder(binary, port, password, config, tls, tlsPort, ca, tlsNames, exitGrace);
    }

    /**
     * Adds a config directive, passed as {@code --name value} after the defaults. Setting {@code
     * save} or {@code appendonly} replaces the testkit's default ({@code save ""}, {@code
     * appendonly no}); a later call with the same name replaces the earlier one.
     *
     * @param name a directive such as {@code "maxmemory"} (case-insensitive)
     * @param value its value, passed as one argument (may be empty)
     * @return a new builder
     * @throws NullPointerException if {@code name} or {@code value} is null
     * @throws IllegalArgumentException if {@code name} is not a directive name, or is one the
     *     testkit manages: port, bind, daemonize, dir, logfile, requirepass, and the TLS port,
     *     files and client authentication
     */
    public Builder config(String name, String value) {
      Objects.requireNonNull(name, "name == null");
      Objects.requireNonNull(value, "value == null");
      String normalized = name.toLowerCase(Locale.ROOT);
      if (!CONFIG_NAME.matcher(normalized).matches()) {
        throw new IllegalArgumentException(
            "config name must be letters, digits and '-' (no leading '--'), was '" + name + "'");
      }
      if (MANAGED.contains(normalized)) {
        throw new IllegalArgumentException(
            "config '"
                + name
                + "' is managed by the testkit; use port(int), password(String) or tls()"
                + " where available");
      }
      Map<String, String> copy = new LinkedHashMap<>(config);
      copy.remove(normalized);
      copy.put(normalized, value);
      return new Builder(
          binary,
          port,
          password,
          Collections.unmodifiableMap(copy),
          tls,
          tlsPort,
          ca,
          tlsNames,
          exitGrace);
    }

    /**
     * Opens a TLS port as well, with a certificate for {@link
     * TestCertificateAuthority#LOOPBACK_NAMES} signed by a throwaway CA made at start. The PEM
     * files go to the server's temp directory ({@code tls/ca.crt}, {@code tls/server.crt}, {@code
     * tls/server.key}, and {@code tls/wrong-ca.crt} from an unrelated CA). Clients need no
     * certificate ({@code tls-auth-clients no}). Default: no TLS. Needs a binary built with TLS
     * ({@link RedisBinary#supportsTls()}), else {@link #start()} throws.
     *
     * @return a new builder
     */
    public Builder tls() {
      return new Builder(binary, port, password, config, true, tlsPort, ca, tlsNames, exitGrace);
    }

    /**
     * The TLS port, with {@link #tls()}. Default {@code 0}: a free port. A fixed port is used as is
     * and the start fails if it is taken.
     *
     * @param tlsPort 0 for a free port, or 1 to 65535
     * @return a new builder
     * @throws IllegalArgumentException if {@code tlsPort} is outside 0 to 65535
     */
    public Builder tlsPort(int tlsPort) {
      if (tlsPort < 0 || tlsPort > 65535) {
        throw new IllegalArgumentException("tlsPort must be between 0 and 65535, was " + tlsPort);
      }
      return new Builder(binary, port, password, config, tls, tlsPort, ca, tlsNames, exitGrace);
    }

    /**
     * Like {@link #tls()}, with a certificate signed by {@code ca}: servers that must trust each
     * other (replicas, sentinels, cluster nodes) and clients that talk to several of them share one
     * CA.
     *
     * @param ca the CA that signs the server certificate
     * @return a new builder
     * @throws NullPointerException if {@code ca} is null
     */
    public Builder tls(TestCertificateAuthority ca) {
      Objects.requireNonNull(ca, "ca == null");
      return new Builder(binary, port, password, config, true, tlsPort, ca, tlsNames, exitGrace);
    }

    /**
     * Turns on {@link #tls()} with a server certificate for these names instead of {@link
     * TestCertificateAuthority#LOOPBACK_NAMES}: {@code tlsServerNames("redis.test")} gives a server
     * whose certificate does not match {@code 127.0.0.1}, for host-name verification tests.
     *
     * @param names host names or IP addresses for the subject alternative names
     * @return a new builder
     * @throws IllegalArgumentException if no name is given or one is blank
     */
    public Builder tlsServerNames(String... names) {
      Objects.requireNonNull(names, "names == null");
      List<String> list = List.of(names);
      if (list.isEmpty() || list.stream().anyMatch(String::isBlank)) {
        throw new IllegalArgumentException(
            "tlsServerNames must be non-blank and not empty, was " + list);
      }
      return new Builder(binary, port, password, config, true, tlsPort, ca, list, exitGrace);
    }

    /**
     * At JVM exit, gives this server's owner up to {@code exitGrace} to close it before the test
     * kit kills it: for an app that runs on a throwaway server and closes it from its own shutdown
     * hook, after its context, so the app shuts down against a live Redis. Servers without a grace
     * are killed at once at exit, and those with one wait only while one is still open, never
     * longer than the largest grace. A server with a grace also runs in a session of its own
     * ({@code setsid}, on Linux when available), so the SIGINT a terminal sends on Ctrl-C reaches
     * the app but not its Redis. Default {@link Duration#ZERO}: killed at once, in the JVM's
     * session, as tests want.
     *
     * @param exitGrace from zero to {@link #MAX_EXIT_GRACE}
     * @return a new builder
     * @throws NullPointerException if {@code exitGrace} is null
     * @throws IllegalArgumentException if {@code exitGrace} is negative or above {@link
     *     #MAX_EXIT_GRACE}
     */
    public Builder exitGrace(Duration exitGrace) {
      Objects.requireNonNull(exitGrace, "exitGrace == null");
      if (exitGrace.isNegative() || exitGrace.compareTo(MAX_EXIT_GRACE) > 0) {
        throw new IllegalArgumentException(
            "exitGrace must be between 0 and " + MAX_EXIT_GRACE + ", was " + exitGrace);
      }
      return new Builder(binary, port, password, config, tls, tlsPort, ca, tlsNames, exitGrace);
    }

    /**
     * Starts the server and waits (up to 10 seconds) until it answers PING.
     *
     * @return a running server; the caller owns it and must {@link RedisServer#close()} it
     * @throws IllegalStateException if no binary is found, the port is taken, or the server does
     *     not come up (the message includes the tail of its log)
     */
    public RedisServer start() {
      return RedisServer.start(this);
    }
  }
}
