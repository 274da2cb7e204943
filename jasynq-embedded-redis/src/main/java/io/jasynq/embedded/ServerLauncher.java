package io.jasynq.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one redis-server process on a given loopback port and waits until it answers, or says why
 * it did not. Immutable; used under {@link RedisProcess}'s lock (and by {@code jasynq-testkit}'s
 * servers, which wrap one).
 */
public final class ServerLauncher {
  /** How long a launch waits for the server to answer PING: 10 seconds. */
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(ServerLauncher.class);
  private static final long POLL_MILLIS = 20;
  private static final int LOG_TAIL_LINES = 30;
  private static final List<Path> SETSID_PATHS =
      List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

  private final RedisExecutable executable;
  private final Path directory;
  private final String password;
  private final Map<String, String> config;
  private final RedisTls tls; // null: no TLS port
  private final Duration exitGrace; // zero: killed at once at JVM exit, no session of its own

  /**
   * A launcher of one configuration.
   *
   * @param executable the redis-server to run
   * @param directory its {@code dir}, where its log goes too
   * @param password its {@code requirepass}, or null
   * @param config further directives, after the defaults
   * @param tls the files of its TLS port, or null for none
   * @param exitGrace zero to kill it at once at JVM exit; else it gets this long, in a session of
   *     its own
   */
  public ServerLauncher(
      RedisExecutable executable,
      Path directory,
      String password,
      Map<String, String> config,
      RedisTls tls,
      Duration exitGrace) {
    this.executable = executable;
    this.directory = directory;
    this.password = password;
    this.config = config;
    this.tls = tls;
    this.exitGrace = exitGrace;
  }

  /**
   * The {@code setsid} program on Linux, if executable. It execs in place (no fork) when its caller
   * is not a process-group leader, which a JVM's child never is, so the process the JVM sees is
   * redis-server itself.
   *
   * @return its path, or empty where there is none
   */
  public static Optional<Path> setsid() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return Optional.empty();
    }
    return SETSID_PATHS.stream().filter(Files::isExecutable).findFirst();
  }

  /** Thrown when redis-server could not bind its port; the caller may try again. */
  public static final class PortInUseException extends Exception {
    private static final long serialVersionUID = 1L;

    PortInUseException(String message) {
      super(message);
    }
  }

  /**
   * The server's log file.
   *
   * @return {@code redis.log} in its directory
   */
  public Path logFile() {
    return directory.resolve("redis.log");
  }

  private Path outputFile() {
    return directory.resolve("redis.out");
  }

  /**
   * Launches redis-server on {@code port} (and, with TLS, {@code tlsPort}) and returns once it
   * answers PING as itself on the plain port.
   *
   * @param port the plain port
   * @param tlsPort the TLS port; ignored without TLS
   * @return the running process, registered with the {@link ProcessReaper}
   * @throws PortInUseException if the port was taken; the process has exited
   * @throws IllegalStateException for any other failure, with the tail of the log; the process has
   *     been killed
   */
  public Process launch(int port, int tlsPort) throws PortInUseException {
    long logOffset = RedisFiles.sizeOrZero(logFile());
    long outputOffset = RedisFiles.sizeOrZero(outputFile());
    Process process;
    try {
      process =
          new ProcessBuilder(sessionPrefixed(command(port, tlsPort)))
              .directory(directory.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile().toFile()))
              .start();
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + executable.path() + ": " + e, e);
    }
    ProcessReaper.register(process, exitGrace);
    try {
      awaitReady(process, port, logOffset, outputOffset);
      log.debug(
          "redis-server {} pid {} answers on port {}", executable.version(), process.pid(), port);
      return process;
    } catch (PortInUseException | RuntimeException e) {
      destroy(process);
      throw e;
    }
  }

  private void awaitReady(Process process, int port, long logOffset, long outputOffset)
      throws PortInUseException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try {
      while (true) {
        if (process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
          String tail = tail(logOffset, outputOffset);
          if (tail.contains("Address already in use")) {
            throw new PortInUseException("port " + port + " is in use:\n" + tail);
          }
          throw new IllegalStateException(
              "redis-server exited with code "
                  + process.exitValue()
                  + " while starting on port "
                  + port
                  + ". Log tail:\n"
                  + tail);
        }
        if (Resp.answersAs(port, password, process.pid())) {
          return;
        }
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException(
              "redis-server on port "
                  + port
                  + " did not answer PING within "
                  + READY_TIMEOUT.toSeconds()
                  + "s. Log tail:\n"
                  + tail(logOffset, outputOffset));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting redis-server on port " + port, e);
    }
  }

  private List<String> command(int port, int tlsPort) {
    List<String> command = new ArrayList<>();
    command.add(executable.path().toString());
    add(command, "port", Integer.toString(port));
    add(command, "bind", "127.0.0.1");
    if (!config.containsKey("save")) {
      add(command, "save", "");
    }
    if (!config.containsKey("appendonly")) {
      add(command, "appendonly", "no");
    }
    add(command, "daemonize", "no");
    add(command, "dir", directory.toString());
    add(command, "logfile", logFile().toString());
    if (password != null) {
      add(command, "requirepass", password);
    }
    if (tls != null) {
      tls.directives(tlsPort).forEach((name, value) -> add(command, name, value));
    }
    config.forEach((name, value) -> addTokens(command, name, value));
    return command;
  }

  /**
   * With an exit grace, runs redis-server in a session of its own, so the SIGINT a terminal sends
   * its foreground process group on Ctrl-C does not kill it before its owner has closed it. Without
   * a grace (tests), or without setsid, the command is unchanged.
   */
  private List<String> sessionPrefixed(List<String> command) {
    Optional<Path> setsid = exitGrace.isZero() ? Optional.empty() : setsid();
    if (setsid.isEmpty()) {
      return command;
    }
    List<String> prefixed = new ArrayList<>(command.size() + 1);
    prefixed.add(setsid.get().toString());
    prefixed.addAll(command);
    return prefixed;
  }

  private static void add(List<String> command, String name, String value) {
    command.add("--" + name);
    command.add(value);
  }

  /** A directive that may take several tokens, such as {@code save 900 1}. */
  private static void addTokens(List<String> command, String name, String value) {
    command.add("--" + name);
    if (value.isBlank()) {
      command.add(value);
      return;
    }
    // One token per argument: Redis 6.2 quotes an argument that contains a space, so
    // `--save "900 1"` would be ignored there; 7.x accepts either form.
    for (String token : value.strip().split("\\s+")) {
      command.add(token);
    }
  }

  private String tail(long logOffset, long outputOffset) {
    String output = RedisFiles.tail(outputFile(), outputOffset, LOG_TAIL_LINES);
    String logTail = RedisFiles.tail(logFile(), logOffset, LOG_TAIL_LINES);
    return output.isBlank() ? logTail : output + "\n" + logTail;
  }

  /**
   * Kills the process and waits for it to exit; restores the interrupt flag if interrupted.
   *
   * @param process a process registered with the {@link ProcessReaper}, which forgets it
   */
  public static void destroy(Process process) {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ProcessReaper.unregister(process);
    }
  }
}
