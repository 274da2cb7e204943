package io.jasynq.testkit;

import io.jasynq.embedded.ProcessReaper;
import io.jasynq.embedded.RedisExecutable;
import io.jasynq.embedded.RedisFiles;
import io.jasynq.embedded.Resp;
import io.jasynq.embedded.ServerLauncher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.NullUnmarked;

/** One {@code redis-server <conf> --sentinel} process with its own directory and config file. */
@NullUnmarked // not yet checked by NullAway: its optional TLS, CA and password are null when unset
final class SentinelProcess implements AutoCloseable {
  private static final int QUORUM = RedisSentinel.QUORUM;
  private static final int START_ATTEMPTS = 5;

  private final int port;
  private final int tlsPort; // 0: no TLS
  private final Path directory;
  private final Process process;

  private SentinelProcess(int port, int tlsPort, Path directory, Process process) {
    this.port = port;
    this.tlsPort = tlsPort;
    this.directory = directory;
    this.process = process;
  }

  int port() {
    return port;
  }

  int tlsPort() {
    return tlsPort;
  }

  /** Starts a sentinel; with a {@code ca}, it also listens on TLS and monitors over TLS. */
  static SentinelProcess start(
      RedisExecutable binary, String masterName, int masterPort, TestCertificateAuthority ca) {
    Path directory = RedisFiles.createOwnedDirectory("jasynq-testkit-sentinel-");
    try {
      TlsFiles tls =
          ca == null
              ? null
              : TlsFiles.write(directory, ca, TestCertificateAuthority.LOOPBACK_NAMES);
      IllegalStateException last = null;
      for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
        int port = Topology.freePort();
        int tlsPort = tls == null ? 0 : Topology.freePort();
        try {
          return new SentinelProcess(
              port,
              tlsPort,
              directory,
              launch(binary, directory, port, masterName, masterPort, tls, tlsPort));
        } catch (IllegalStateException e) {
          if (!e.getMessage().contains("Address already in use")) {
            throw e;
          }
          last = e;
        }
      }
      throw new IllegalStateException(
          "sentinel found no free port in " + START_ATTEMPTS + " attempts", last);
    } catch (RuntimeException e) {
      RedisFiles.deleteOwned(directory);
      throw e;
    }
  }

  private static Process launch(
      RedisExecutable binary,
      Path directory,
      int port,
      String masterName,
      int masterPort,
      TlsFiles tls,
      int tlsPort) {
    Path config = directory.resolve("sentinel.conf");
    Path logFile = directory.resolve("sentinel.log");
    StringBuilder tlsLines = new StringBuilder();
    if (tls != null) {
      tls.redisTls()
          .directives(tlsPort)
          .forEach((name, value) -> tlsLines.append(name).append(' ').append(value).append('\n'));
      tlsLines.append("tls-replication yes\n");
    }
    String text =
        tlsLines
            + String.join(
                "\n",
                "port " + port,
                "bind " + RedisServer.HOST,
                "daemonize no",
                "dir " + directory,
                "logfile " + logFile,
                "sentinel monitor "
                    + masterName
                    + " "
                    + RedisServer.HOST
                    + " "
                    + masterPort
                    + " "
                    + QUORUM,
                "sentinel down-after-milliseconds " + masterName + " 1000",
                "sentinel failover-timeout " + masterName + " 5000",
                "sentinel parallel-syncs " + masterName + " 1",
                "");
    long logOffset = RedisFiles.sizeOrZero(logFile);
    Process process;
    try {
      Files.writeString(config, text, StandardCharsets.UTF_8);
      process =
          new ProcessBuilder(binary.path().toString(), config.toString(), "--sentinel")
              .directory(directory.toFile())
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(directory.resolve("sentinel.out").toFile()))
              .start();
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a sentinel with " + binary.path(), e);
    }
    ProcessReaper.register(process);
    try {
      long deadline = System.nanoTime() + ServerLauncher.READY_TIMEOUT.toNanos();
      while (!Resp.answersAs(port, null, process.pid())) {
        if (process.waitFor(20, TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException(
              "sentinel exited with code "
                  + process.exitValue()
                  + " while starting on port "
                  + port
                  + ". Log tail:\n"
                  + RedisFiles.tail(directory.resolve("sentinel.out"), 0, 30)
                  + "\n"
                  + RedisFiles.tail(logFile, logOffset, 30));
        }
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException(
              "sentinel on port "
                  + port
                  + " did not answer within "
                  + ServerLauncher.READY_TIMEOUT.toSeconds()
                  + "s. Log tail:\n"
                  + RedisFiles.tail(logFile, logOffset, 30));
        }
      }
      return process;
    } catch (InterruptedException e) {
      ServerLauncher.destroy(process);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting a sentinel", e);
    } catch (RuntimeException e) {
      ServerLauncher.destroy(process);
      throw e;
    }
  }

  @Override
  public void close() {
    ServerLauncher.destroy(process);
    RedisFiles.deleteOwned(directory);
  }
}
