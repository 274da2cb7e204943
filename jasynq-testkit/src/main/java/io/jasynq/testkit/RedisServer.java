package io.jasynq.testkit;

import io.jasynq.embedded.RedisFiles;
import io.jasynq.embedded.RedisProcess;
import io.jasynq.embedded.RedisProcessBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.NullUnmarked;

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
 * <p>The process itself is an {@link RedisProcess} of {@code jasynq-embedded-redis}; this class
 * adds the test-facing API: the throwaway CA and certificates of TLS servers, and {@link
 * RedisBinary}.
 *
 * <p>Thread-safe: lifecycle methods are serialized; accessors never block.
 *
 * @since 0.1.0
 */
@NullUnmarked // not yet checked by NullAway: its optional TLS, CA and password are null when unset
public final class RedisServer implements AutoCloseable {
  /** The address every server binds: {@value}. */
  public static final String HOST = RedisProcess.HOST;

  /** How long {@link #restart()} keeps trying to bind the old port: 5 seconds. */
  public static final Duration RESTART_BIND_TIMEOUT = RedisProcess.RESTART_BIND_TIMEOUT;

  // Immutable after construction; the server's own state lives in redis.
  private final RedisProcess redis;
  private final RedisBinary binary;
  private final TlsFiles tls; // null: no TLS

  private RedisServer(RedisProcess redis, RedisBinary binary, TlsFiles tls) {
    this.redis = redis;
    this.binary = binary;
    this.tls = tls;
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
        null, RedisProcess.builder(), false, null, TestCertificateAuthority.LOOPBACK_NAMES);
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
    return redis.port();
  }

  /**
   * A Redis URI for clients such as Lettuce's {@code RedisClient.create(uri)}.
   *
   * @return {@code redis://127.0.0.1:PORT}, or {@code redis://:PASSWORD@127.0.0.1:PORT} (password
   *     URL-encoded) when a password is set
   */
  public String uri() {
    return redis.uri();
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
    return redis.tlsPort();
  }

  /**
   * A TLS Redis URI for the TLS port. Verifying clients must trust {@link #caCertificate()}.
   *
   * @return {@code rediss://127.0.0.1:TLSPORT}, with {@code :PASSWORD@} as in {@link #uri()}
   * @throws IllegalStateException if the server was started without TLS
   */
  public String tlsUri() {
    requireTls("tlsUri");
    return redis.uri("rediss://", redis.tlsPort());
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
    return redis.isRunning();
  }

  /**
   * Stops the server gracefully: {@code SHUTDOWN NOSAVE}, then SIGTERM and finally SIGKILL if it
   * lingers, and waits until the process has exited. Does nothing if it is not running. The server
   * can be {@link #restart() restarted}.
   *
   * @throws IllegalStateException if the server is closed
   */
  public void stop() {
    redis.stop(this);
  }

  /**
   * Kills the server with SIGKILL (a crash, as far as clients can tell) and waits until the process
   * has exited. Does nothing if it is not running. The server can be {@link #restart() restarted}.
   *
   * @throws IllegalStateException if the server is closed
   */
  public void kill() {
    redis.kill(this);
  }

  /**
   * Starts the server again on the same port, with the same configuration and an empty dataset;
   * stops it first if it is running. Retries binding for up to {@link #RESTART_BIND_TIMEOUT} if the
   * port is not free yet.
   *
   * @throws IllegalStateException if the server is closed, or does not come up
   */
  public void restart() {
    redis.restart(this);
  }

  /**
   * Stops the server (as {@link #stop()}) and deletes its temp directory. Idempotent and safe from
   * any thread; afterwards only the accessors and {@code toString()} may be used.
   */
  @Override
  public void close() {
    redis.close();
  }

  /** Shows the port, the state and the version. */
  @Override
  public String toString() {
    return "RedisServer["
        + HOST
        + ":"
        + port()
        + (tls == null ? "" : ", tls " + redis.tlsPort())
        + ", "
        + redis.status()
        + ", redis "
        + version()
        + "]";
  }

  /** The pid of the running redis-server, or -1 when none runs. */
  long pid() {
    return redis.pid();
  }

  /** The server's temp directory (its {@code dir} and log). */
  Path directory() {
    return redis.directory();
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
    Path directory = RedisFiles.createOwnedDirectory("jasynq-testkit-redis-");
    TlsFiles tls;
    try {
      tls =
          builder.tls
              ? TlsFiles.write(
                  directory,
                  builder.ca != null ? builder.ca : TestCertificateAuthority.create(),
                  builder.tlsNames)
              : null;
    } catch (RuntimeException e) {
      RedisFiles.deleteOwned(directory);
      throw e;
    }
    RedisProcessBuilder redis = builder.redis.executable(binary.executable()).directory(directory);
    if (tls != null) {
      redis = redis.tls(tls.redisTls());
    }
    return new RedisServer(redis.start(), binary, tls);
  }

  /**
   * Configures a {@link RedisServer}. Immutable: every setter returns a new builder, so a builder
   * can be shared and reused. Setters validate at once and name the bad value.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    /** The longest {@link #exitGrace(Duration)}: 60 seconds. */
    public static final Duration MAX_EXIT_GRACE = RedisProcessBuilder.MAX_EXIT_GRACE;

    private final RedisBinary binary; // null: RedisBinary.locate() at start
    private final RedisProcessBuilder redis; // port, password, config, TLS port, exit grace
    private final boolean tls;
    private final TestCertificateAuthority ca; // null: a fresh one at start
    private final List<String> tlsNames;

    private Builder(
        RedisBinary binary,
        RedisProcessBuilder redis,
        boolean tls,
        TestCertificateAuthority ca,
        List<String> tlsNames) {
      this.binary = binary;
      this.redis = redis;
      this.tls = tls;
      this.ca = ca;
      this.tlsNames = tlsNames;
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
      return new Builder(binary, redis, tls, ca, tlsNames);
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
      return new Builder(binary, redis.port(port), tls, ca, tlsNames);
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
      return new Builder(binary, redis.password(password), tls, ca, tlsNames);
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
      RedisProcessBuilder.checkConfigName(name, "the testkit");
      return new Builder(binary, redis.config(name, value), tls, ca, tlsNames);
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
      return new Builder(binary, redis, true, ca, tlsNames);
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
      return new Builder(binary, redis.tlsPort(tlsPort), tls, ca, tlsNames);
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
      return new Builder(binary, redis, true, ca, tlsNames);
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
      return new Builder(binary, redis, true, ca, list);
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
      return new Builder(binary, redis.exitGrace(exitGrace), tls, ca, tlsNames);
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
