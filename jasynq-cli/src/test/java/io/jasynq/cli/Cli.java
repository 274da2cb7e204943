package io.jasynq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jasynq.testkit.RedisSentinel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * Runs {@code jasynq} in-process, as a person would type it, with a chosen environment, and
 * captures what it printed.
 */
final class Cli {
  private final Map<String, String> env = new HashMap<>();
  private final Path home;
  private Clock clock = Clock.systemUTC();
  private byte[] stdin = new byte[0];

  private Cli(Path home) {
    this.home = home;
  }

  /** A command line with an empty home directory and no environment variables. */
  static Cli in(Path home) {
    return new Cli(home);
  }

  /** With {@code REDIS_URL} set to {@code uri}. */
  static Cli redis(Path home, String uri) {
    return new Cli(home).env("REDIS_URL", uri);
  }

  Cli env(String name, String value) {
    env.put(name, value);
    return this;
  }

  Cli clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /** What the command reads from standard input. */
  Cli stdin(byte[] bytes) {
    this.stdin = bytes.clone();
    return this;
  }

  Path home() {
    return home;
  }

  Path write(String name, String content) {
    try {
      return Files.writeString(home.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli =
        Main.commandLine(
            new Environment(Map.copyOf(env), home, clock, new ByteArrayInputStream(stdin)));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  /** The {@code --sentinel} flag for {@code sentinel}: {@code MASTER@127.0.0.1:PORT,...}. */
  static String sentinelFlag(RedisSentinel sentinel) {
    return sentinel.masterName()
        + "@"
        + sentinel.sentinelPorts().stream()
            .map(p -> "127.0.0.1:" + p)
            .collect(Collectors.joining(","));
  }

  /** A loopback port nobody listens on. */
  static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What one run printed and returned. */
  record Result(int code, String out, String err) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(out);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + out, e);
      }
    }

    /** The lines of stdout. */
    java.util.List<String> lines() {
      return out.lines().toList();
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
