package io.jasynq.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.NullUnmarked;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standalone {@code redis-server} process on 127.0.0.1, with persistence off and its own temp
 * directory: the throwaway Redis of {@code jasynq demo}, of an example app, and of {@code
 * jasynq-testkit}'s {@code RedisServer}, which wraps one.
 *
 * <pre>{@code
 * try (RedisProcess redis = RedisProcess.builder().exitGrace(Duration.ofSeconds(10)).start()) {
 *   Client client = Client.connect(redis.uri());
 *   ...
 * }
 * }</pre>
 *
 * <p>The server can be {@link #stop() stopped}, {@link #kill() killed} and {@link #restart()
 * restarted} on the same port; {@link #close()} stops it for good and deletes its directory. A JVM
 * shutdown hook ({@link ProcessReaper}) kills any server still running when the JVM exits, after
 * its {@link RedisProcessBuilder#exitGrace(Duration) exit grace}, if it has one.
 *
 * <p>Thread-safe: lifecycle methods are serialized; accessors never block.
 *
 * @since 0.1.0
 */
@NullUnmarked // not yet checked by NullAway: its optional TLS, CA and password are null when unset
public final class RedisProcess implements AutoCloseable {
  /** The address every server binds: {@value}. */
  public static final String HOST = "127.0.0.1";

  /** How long {@link #restart()} keeps trying to bind the old port: 5 seconds. */
  public static final Duration RESTART_BIND_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(RedisProcess.class);
  private static final int FREE_PORT_ATTEMPTS = 5;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private enum State {
    RUNNING,
    STOPPED,
    CLOSED
  }

  // Immutable after construction.
  private final RedisExecutable executable;
  private final int port;
  private final String password;
  private final Path directory;
  private final ServerLauncher launcher;
  private final int tlsPort; // 0: no TLS

  // Shared: written only while holding lock; volatile so accessors and toString read without it.
  private final Object lock = new Object();
  private volatile State state;
  private volatile Process process;

  private RedisProcess(
      RedisExecutable executable,
      int port,
      String password,
      Path directory,
      ServerLauncher launcher,
      int tlsPort,
      Process process) {
    this.executable = executable;
    this.port = port;
    this.password = password;
    this.directory = directory;
    this.launcher = launcher;
    this.tlsPort = tlsPort;
    this.process = process;
    this.state = State.RUNNING;
  }

  /**
   * Starts a server with the defaults: {@link RedisExecutable#locate()}, a free port, no password.
   *
   * @return a running server; the caller owns it and must {@link #close()} it
   * @throws IllegalStateException if no binary is found or the server does not come up within 10
   *     seconds (the message includes the tail of its log)
   */
  public static RedisProcess start() {
    return builder().start();
  }

  /**
   * A builder with the defaults of {@link #start()}.
   *
   * @return an immutable builder; each setter returns a new one
   */
  public static RedisProcessBuilder builder() {
    return RedisProcessBuilder.DEFAULTS;
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
   * The TLS port, or 0 without TLS; it stays the same across {@link #restart()}.
   *
   * @return the port
   */
  public int tlsPort() {
    return tlsPort;
  }

  /**
   * A Redis URI for clients.
   *
   * @return {@code redis://127.0.0.1:PORT}, or {@code redis://:PASSWORD@127.0.0.1:PORT} (password
   *     URL-encoded) when a password is set
   */
  public String uri() {
    return uri("redis://", port);
  }

  /**
   * A Redis URI of the given scheme and port, with the password as in {@link #uri()}.
   *
   * @param scheme {@code redis://} or {@code rediss://}
   * @param port the port
   * @return the URI
   */
  public String uri(String scheme, int port) {
    if (password == null) {
      return scheme + HOST + ":" + port;
    }
    String encoded = URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20");
    return scheme + ":" + encoded + "@" + HOST + ":" + port;
  }

  /**
   * The server's version, as its binary reported it.
   *
   * @return e.g. {@code "7.0.15"}
   */
  public String version() {
    return executable.version();
  }

  /**
   * The binary this server runs.
   *
   * @return the executable
   */
  public RedisExecutable executable() {
    return executable;
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
   * The pid of the running redis-server.
   *
   * @return the pid, or -1 when none runs
   */
  public long pid() {
    Process current = process;
    return current == null ? -1 : current.pid();
  }

  /**
   * The server's temp directory (its {@code dir} and log), deleted by {@link #close()}.
   *
   * @return the directory
   */
  public Path directory() {
    return directory;
  }

  /**
   * The lifecycle state, for {@code toString()}s.
   *
   * @return {@code RUNNING}, {@code EXITED} (it died on its own), {@code STOPPED} or {@code CLOSED}
   */
  public String status() {
    State current = state;
    return current == State.RUNNING && !isRunning() ? "EXITED" : current.name();
  }

  /**
   * Stops the server gracefully: {@code SHUTDOWN NOSAVE}, then SIGTERM and finally SIGKILL if it
   * lingers, and waits until the process has exited. Does nothing if it is not running. The server
   * can be {@link #restart() restarted}.
   *
   * @throws IllegalStateException if the server is closed
   */
  public void stop() {
    stop(this);
  }

  /**
   * As {@link #stop()}, naming {@code owner} in the error.
   *
   * @param owner what the caller calls this server (its {@code toString()})
   * @throws IllegalStateException if the server is closed
   */
  public void stop(Object owner) {
    synchronized (lock) {
      requireOpen("stop", owner);
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
    kill(this);
  }

  /**
   * As {@link #kill()}, naming {@code owner} in the error.
   *
   * @param owner what the caller calls this server (its {@code toString()})
   * @throws IllegalStateException if the server is closed
   */
  public void kill(Object owner) {
    synchronized (lock) {
      requireOpen("kill", owner);
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
    restart(this);
  }

  /**
   * As {@link #restart()}, naming {@code owner} in the error.
   *
   * @param owner what the caller calls this server (its {@code toString()})
   * @throws IllegalStateException if the server is closed, or does not come up
   */
  public void restart(Object owner) {
    synchronized (lock) {
      requireOpen("restart", owner);
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
        RedisFiles.deleteOwned(directory);
      }
    }
  }

  /** Shows the port, the state and the version. */
  @Override
  public String toString() {
    return "RedisProcess["
        + HOST
        + ":"
        + port
        + (tlsPort == 0 ? "" : ", tls " + tlsPort)
        + ", "
        + status()
        + ", redis "
        + version()
        + "]";
  }

  private void requireOpen(String operation, Object owner) {
    if (state == State.CLOSED) {
      throw new IllegalStateException("cannot " + operation + " " + owner + ": it is closed");
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
      // A lifecycle retry in tooling, not a test assertion: a plain short back-off is fine.
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while restarting redis-server", e);
    }
  }

  /** Starts what {@code builder} describes; called by {@link RedisProcessBuilder#start()}. */
  static RedisProcess start(RedisProcessBuilder builder) {
    RedisExecutable executable =
        builder.executable() != null ? builder.executable() : RedisExecutable.locate();
    Path directory =
        builder.directory() != null
            ? builder.directory()
            : RedisFiles.createOwnedDirectory("jasynq-redis-");
    try {
      ServerLauncher launcher =
          new ServerLauncher(
              executable,
              directory,
              builder.password(),
              builder.config(),
              builder.tls(),
              builder.exitGrace());
      if (builder.port() != 0) {
        int tlsPort = tlsPort(builder);
        Process process = launchOrFail(launcher, builder.port(), tlsPort);
        return new RedisProcess(
            executable, builder.port(), builder.password(), directory, launcher, tlsPort, process);
      }
      ServerLauncher.PortInUseException last = null;
      for (int attempt = 1; attempt <= FREE_PORT_ATTEMPTS; attempt++) {
        int port = freePort();
        int tlsPort = tlsPort(builder);
        try {
          Process process = launcher.launch(port, tlsPort);
          return new RedisProcess(
              executable, port, builder.password(), directory, launcher, tlsPort, process);
        } catch (ServerLauncher.PortInUseException e) {
          log.debug("Free port {} was taken before redis-server bound it; trying another", port);
          last = e;
        }
      }
      throw new IllegalStateException(
          "redis-server found no free port in " + FREE_PORT_ATTEMPTS + " attempts", last);
    } catch (RuntimeException e) {
      RedisFiles.deleteOwned(directory);
      throw e;
    }
  }

  private static int tlsPort(RedisProcessBuilder builder) {
    if (builder.tls() == null) {
      return 0;
    }
    return builder.tlsPort() != 0 ? builder.tlsPort() : freePort();
  }

  private static Process launchOrFail(ServerLauncher launcher, int port, int tlsPort) {
    try {
      return launcher.launch(port, tlsPort);
    } catch (ServerLauncher.PortInUseException e) {
      throw new IllegalStateException("cannot start redis-server: " + e.getMessage(), e);
    }
  }

  /**
   * A port on {@value #HOST} that was free a moment ago.
   *
   * @return the port
   * @throws UncheckedIOException if none can be found
   */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + HOST, e);
    }
  }
}
