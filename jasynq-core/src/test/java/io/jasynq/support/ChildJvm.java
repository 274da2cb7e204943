package io.jasynq.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Runs a main class in a child JVM on the test class path, with the test's JDK. */
public final class ChildJvm {
  /** A log line at WARN or ERROR, in logback-test.xml's console pattern. */
  private static final Pattern WARN_OR_ERROR =
      Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (WARN|ERROR) .*");

  private ChildJvm() {}

  /** What a child left behind. */
  public record Result(
      int exitCode, Duration took, long exitedAtMillis, String stdout, String stderr) {
    /** Log lines at WARN or above (logback writes to stdout). */
    public List<String> warningsAndErrors() {
      return stdout.lines().filter(l -> WARN_OR_ERROR.matcher(l).matches()).toList();
    }

    @Override
    public String toString() {
      return "child exited "
          + exitCode
          + " after "
          + took.toMillis()
          + " ms\n--- stdout:\n"
          + stdout
          + "--- stderr:\n"
          + stderr;
    }
  }

  /**
   * Runs {@code main} with {@code args} and waits for it to exit by itself.
   *
   * @throws AssertionError if it is still running after {@code timeout} (it is then killed)
   */
  public static Result run(Duration timeout, Class<?> main, String... args)
      throws IOException, InterruptedException {
    return run(timeout, System.getProperty("java.class.path"), main, args);
  }

  /** Like {@link #run}, on the test class path without logback: SLF4J has no provider. */
  public static Result runWithoutLogging(Duration timeout, Class<?> main, String... args)
      throws IOException, InterruptedException {
    String classPath =
        String.join(
            File.pathSeparator,
            Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("logback"))
                .toList());
    return run(timeout, classPath, main, args);
  }

  private static Result run(Duration timeout, String classPath, Class<?> main, String... args)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("child", ".out");
    Path err = Files.createTempFile("child", ".err");
    try {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-cp");
      command.add(classPath);
      command.add(main.getName());
      command.addAll(List.of(args));
      long begin = System.nanoTime();
      Process p =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .start();
      p.getOutputStream().close();
      boolean exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      Duration took = Duration.ofNanos(System.nanoTime() - begin);
      long exitedAt = System.currentTimeMillis();
      if (!exited) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      Result result =
          new Result(
              exited ? p.exitValue() : -1,
              took,
              exitedAt,
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
      if (!exited) {
        throw new AssertionError("child did not exit within " + timeout + ": " + result);
      }
      return result;
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
