package io.jasynq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.testkit.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the packaged {@code target/jasynq-cli.jar} (the shrunk one users get) in a child JVM, as
 * {@code java -jar} would, with {@code user.home} pointed at a scratch directory and an environment
 * of only {@code PATH} and a UTF-8 locale plus what the test sets.
 */
final class JarCli {
  static final Path JAR = Path.of("target", "jasynq-cli.jar").toAbsolutePath();
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final Path home;
  private final Map<String, String> env = new HashMap<>();

  JarCli(Path home) {
    assertThat(JAR).as("run `package` first").isRegularFile();
    this.home = home;
    String path = System.getenv("PATH");
    if (path != null) {
      env.put("PATH", path);
    }
    env.put("LC_ALL", "C.UTF-8"); // else JDK 17 prints '?' for the non-ASCII in a bare environment
  }

  JarCli env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** Runs one command to its end and returns what it printed. */
  Result run(String... args) {
    Process p = start(args);
    try {
      // Both streams drained while it runs, so a chatty command cannot block on a full pipe.
      Drain out = new Drain(p.getInputStream());
      Drain err = new Drain(p.getErrorStream());
      if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(
            "jasynq " + String.join(" ", args) + " still running after " + TIMEOUT);
      }
      return new Result(p.exitValue(), out.all(), err.all());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new AssertionError(e);
    }
  }

  /**
   * Starts a command that serves until stopped (dashboard, metrics) and waits for the line matching
   * {@code ready}, whose first group is returned with the process.
   */
  Serving serve(Pattern ready, String... args) {
    Process p = start(args);
    Drain out = new Drain(p.getInputStream());
    Drain err = new Drain(p.getErrorStream());
    Eventually.until(
        Duration.ofSeconds(30),
        "jasynq " + String.join(" ", args) + " says where it serves",
        () -> ready.matcher(out.text()).find() || !p.isAlive());
    Matcher m = ready.matcher(out.text());
    if (!m.find()) {
      p.destroyForcibly();
      throw new AssertionError("not serving; stdout: " + out.text() + "\nstderr: " + err.text());
    }
    return new Serving(p, m.group(1), err);
  }

  private Process start(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Duser.home=" + home);
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    try {
      return pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path write(String name, String content) {
    try {
      return Files.writeString(home.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What one run printed and returned. */
  record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** A serving command: stopped (SIGTERM, as a service manager would) by {@link #close()}. */
  record Serving(Process process, String url, Drain err) implements AutoCloseable {
    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("did not stop within 30 s of SIGTERM; stderr: " + err.all());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }

  /** Reads a stream to its end on a thread of its own. */
  static final class Drain {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Thread thread;

    Drain(InputStream in) {
      thread =
          new Thread(
              () -> {
                byte[] buffer = new byte[8192];
                try (in) {
                  for (int n; (n = in.read(buffer)) >= 0; ) {
                    synchronized (bytes) {
                      bytes.write(buffer, 0, n);
                    }
                  }
                } catch (IOException e) {
                  // the process went away: what was read is kept
                }
              },
              "jar-cli-drain");
      thread.setDaemon(true);
      thread.start();
    }

    /** All of it, once the process has exited: waits for the end of the stream. */
    String all() {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return text();
    }

    /** What was read so far. */
    String text() {
      synchronized (bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
      }
    }
  }
}
