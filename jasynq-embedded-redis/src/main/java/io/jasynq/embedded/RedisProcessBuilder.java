package io.jasynq.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.NullUnmarked;

/**
 * Configures an {@link RedisProcess}. Immutable: every setter returns a new builder, so a builder
 * can be shared and reused. Setters validate at once and name the bad value.
 *
 * @since 0.1.0
 */
@NullUnmarked // not yet checked by NullAway: its optional TLS, CA and password are null when unset
public final class RedisProcessBuilder {
  /** The longest {@link #exitGrace(Duration)}: 60 seconds. */
  public static final Duration MAX_EXIT_GRACE = Duration.ofSeconds(60);

  /** The directives the builder sets itself, which {@link #config} refuses. */
  public static final Set<String> MANAGED_DIRECTIVES =
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

  static final RedisProcessBuilder DEFAULTS =
      new RedisProcessBuilder(null, 0, null, Map.of(), null, 0, Duration.ZERO, null);

  private static final Pattern CONFIG_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

  private final RedisExecutable executable; // null: RedisExecutable.locate() at start
  private final int port;
  private final String password;
  private final Map<String, String> config;
  private final RedisTls tls; // null: no TLS port
  private final int tlsPort;
  private final Duration exitGrace;
  private final Path directory; // null: a fresh temp directory

  private RedisProcessBuilder(
      RedisExecutable executable,
      int port,
      String password,
      Map<String, String> config,
      RedisTls tls,
      int tlsPort,
      Duration exitGrace,
      Path directory) {
    this.executable = executable;
    this.port = port;
    this.password = password;
    this.config = config;
    this.tls = tls;
    this.tlsPort = tlsPort;
    this.exitGrace = exitGrace;
    this.directory = directory;
  }

  /**
   * The redis-server to run. Default: {@link RedisExecutable#locate()}, called by {@link #start()}.
   *
   * @param executable the binary
   * @return a new builder
   * @throws NullPointerException if {@code executable} is null
   */
  public RedisProcessBuilder executable(RedisExecutable executable) {
    Objects.requireNonNull(executable, "executable == null");
    return new RedisProcessBuilder(
        executable, port, password, config, tls, tlsPort, exitGrace, directory);
  }

  /**
   * The port to listen on. Default {@code 0}: pick a free port (and pick again if another process
   * takes it before redis-server binds it). A fixed port is used as is and the start fails if it is
   * taken.
   *
   * @param port 0 for a free port, or 1 to 65535
   * @return a new builder
   * @throws IllegalArgumentException if {@code port} is outside 0 to 65535
   */
  public RedisProcessBuilder port(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
    }
    return new RedisProcessBuilder(
        executable, port, password, config, tls, tlsPort, exitGrace, directory);
  }

  /**
   * Requires clients to authenticate ({@code requirepass}). Default: no password.
   *
   * @param password a non-empty password
   * @return a new builder
   * @throws NullPointerException if {@code password} is null
   * @throws IllegalArgumentException if {@code password} is empty
   */
  public RedisProcessBuilder password(String password) {
    Objects.requireNonNull(password, "password == null");
    if (password.isEmpty()) {
      throw new IllegalArgumentException("password must not be empty");
    }
    return new RedisProcessBuilder(
        executable, port, password, config, tls, tlsPort, exitGrace, directory);
  }

  /**
   * Adds a config directive, passed as {@code --name value} after the defaults. Setting {@code
   * save} or {@code appendonly} replaces the default ({@code save ""}, {@code appendonly no}); a
   * later call with the same name replaces the earlier one.
   *
   * @param name a directive such as {@code "maxmemory"} (case-insensitive)
   * @param value its value (may be empty)
   * @return a new builder
   * @throws NullPointerException if {@code name} or {@code value} is null
   * @throws IllegalArgumentException if {@code name} is not a directive name, or is one of {@link
   *     #MANAGED_DIRECTIVES}
   */
  public RedisProcessBuilder config(String name, String value) {
    String normalized = checkConfigName(name, "the embedded Redis");
    Objects.requireNonNull(value, "value == null");
    Map<String, String> copy = new LinkedHashMap<>(config);
    copy.remove(normalized);
    copy.put(normalized, value);
    return new RedisProcessBuilder(
        executable,
        port,
        password,
        Collections.unmodifiableMap(copy),
        tls,
        tlsPort,
        exitGrace,
        directory);
  }

  /**
   * Checks a directive name for {@link #config}.
   *
   * @param name the name
   * @param manager who sets the {@link #MANAGED_DIRECTIVES}, for the message
   * @return the name in lower case
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if it is not a directive name or is a managed one
   */
  public static String checkConfigName(String name, String manager) {
    Objects.requireNonNull(name, "name == null");
    String normalized = name.toLowerCase(Locale.ROOT);
    if (!CONFIG_NAME.matcher(normalized).matches()) {
      throw new IllegalArgumentException(
          "config name must be letters, digits and '-' (no leading '--'), was '" + name + "'");
    }
    if (MANAGED_DIRECTIVES.contains(normalized)) {
      throw new IllegalArgumentException(
          "config '"
              + name
              + "' is managed by "
              + manager
              + "; use port(int), password(String) or tls() where available");
    }
    return normalized;
  }

  /**
   * Opens a TLS port as well, with these files. Default: no TLS. Needs a binary built with TLS
   * ({@link RedisExecutable#supportsTls()}).
   *
   * @param tls the certificate, key and CA
   * @return a new builder
   * @throws NullPointerException if {@code tls} is null
   */
  public RedisProcessBuilder tls(RedisTls tls) {
    Objects.requireNonNull(tls, "tls == null");
    return new RedisProcessBuilder(
        executable, port, password, config, tls, tlsPort, exitGrace, directory);
  }

  /**
   * The TLS port, with {@link #tls(RedisTls)}. Default {@code 0}: a free port.
   *
   * @param tlsPort 0 for a free port, or 1 to 65535
   * @return a new builder
   * @throws IllegalArgumentException if {@code tlsPort} is outside 0 to 65535
   */
  public RedisProcessBuilder tlsPort(int tlsPort) {
    if (tlsPort < 0 || tlsPort > 65535) {
      throw new IllegalArgumentException("tlsPort must be between 0 and 65535, was " + tlsPort);
    }
    return new RedisProcessBuilder(
        executable, port, password, config, tls, tlsPort, exitGrace, directory);
  }

  /**
   * At JVM exit, gives this server's owner up to {@code exitGrace} to close it before the reaper
   * kills it: for an app that runs on a throwaway server and closes it from its own shutdown hook,
   * after its context, so the app shuts down against a live Redis. Servers without a grace are
   * killed at once at exit, and those with one wait only while one is still open, never longer than
   * the largest grace. A server with a grace also runs in a session of its own ({@code setsid}, on
   * Linux when available), so the SIGINT a terminal sends on Ctrl-C reaches the app but not its
   * Redis. Default {@link Duration#ZERO}: killed at once, in the JVM's session, as tests want.
   *
   * @param exitGrace from zero to {@link #MAX_EXIT_GRACE}
   * @return a new builder
   * @throws NullPointerException if {@code exitGrace} is null
   * @throws IllegalArgumentException if {@code exitGrace} is negative or above {@link
   *     #MAX_EXIT_GRACE}
   */
  public RedisProcessBuilder exitGrace(Duration exitGrace) {
    Objects.requireNonNull(exitGrace, "exitGrace == null");
    if (exitGrace.isNegative() || exitGrace.compareTo(MAX_EXIT_GRACE) > 0) {
      throw new IllegalArgumentException(
          "exitGrace must be between 0 and " + MAX_EXIT_GRACE + ", was " + exitGrace);
    }
    return new RedisProcessBuilder(
        executable, port, password, config, tls, tlsPort, exitGrace, directory);
  }

  /**
   * The server's directory, made by {@link RedisFiles#createOwnedDirectory(String)}, which the
   * server then owns: {@link RedisProcess#close()} (or a failed start) deletes it. For callers that
   * put files there first, such as TLS certificates. Default: a fresh temp directory.
   *
   * @param directory an owned directory
   * @return a new builder
   * @throws NullPointerException if {@code directory} is null
   */
  public RedisProcessBuilder directory(Path directory) {
    Objects.requireNonNull(directory, "directory == null");
    return new RedisProcessBuilder(
        executable, port, password, config, tls, tlsPort, exitGrace, directory);
  }

  /**
   * Starts the server and waits (up to 10 seconds) until it answers PING.
   *
   * @return a running server; the caller owns it and must {@link RedisProcess#close()} it
   * @throws IllegalStateException if no binary is found, the port is taken, or the server does not
   *     come up (the message includes the tail of its log)
   */
  public RedisProcess start() {
    return RedisProcess.start(this);
  }

  RedisExecutable executable() {
    return executable;
  }

  int port() {
    return port;
  }

  String password() {
    return password;
  }

  Map<String, String> config() {
    return config;
  }

  RedisTls tls() {
    return tls;
  }

  int tlsPort() {
    return tlsPort;
  }

  Duration exitGrace() {
    return exitGrace;
  }

  Path directory() {
    return directory;
  }
}
