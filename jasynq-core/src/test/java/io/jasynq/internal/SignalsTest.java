package io.jasynq.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM in a child JVM, at the two moments that once lost a graceful shutdown: while the guarded
 * start is still running, and before the hook could be installed at all.
 */
class SignalsTest {

  @Test
  void sigtermWhileStartingClosesOnceTheStartHasReturned() throws Exception {
    Path stderr = Files.createTempFile("signals", ".err");
    Process p = child(stderr, "mid-start");
    try {
      BufferedReader out = reader(p);
      assertThat(out.readLine()).isEqualTo("starting");
      p.toHandle().destroy(); // SIGTERM, keeping our ends of its pipes open (p.destroy closes them)
      assertThat(out.readLine()).isEqualTo("exiting"); // the JVM runs its hooks now
      try (OutputStream in = p.getOutputStream()) {
        in.write("go\n".getBytes(StandardCharsets.UTF_8)); // lets start() return
      }
      List<String> rest = drain(out);
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(rest).containsExactly("started", "closed");
      assertThat(p.exitValue()).isEqualTo(143);
      assertThat(Files.readAllLines(stderr)).isEmpty();
    } finally {
      p.destroyForcibly();
      Files.deleteIfExists(stderr);
    }
  }

  @Test
  void calledWhileTheJvmExitsItStartsNothingAndClosesAtOnce() throws Exception {
    Path stderr = Files.createTempFile("signals", ".err");
    Process p = child(stderr, "exiting");
    try {
      BufferedReader out = reader(p);
      List<String> lines = drain(out);
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(lines).containsExactly("closed", "returned");
      assertThat(p.exitValue()).isZero();
      assertThat(Files.readAllLines(stderr)).isEmpty();
    } finally {
      p.destroyForcibly();
      Files.deleteIfExists(stderr);
    }
  }

  private static Process child(Path stderr, String mode) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java, "-cp", System.getProperty("java.class.path"), Child.class.getName(), mode)
        .redirectError(stderr.toFile())
        .start();
  }

  private static BufferedReader reader(Process p) {
    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
  }

  private static List<String> drain(BufferedReader out) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line; (line = out.readLine()) != null; ) {
      lines.add(line);
    }
    return lines;
  }

  /** The child: {@code mid-start} blocks its start on stdin; {@code exiting} runs from a hook. */
  public static final class Child {
    private Child() {}

    public static void main(String[] args) throws Exception {
      CountDownLatch closed = new CountDownLatch(1);
      Runnable close =
          () -> {
            say("closed");
            closed.countDown();
          };
      if (args[0].equals("mid-start")) {
        // Tells the test that the JVM has begun to exit; Signals' own hook waits for the start.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> say("exiting")));
        Signals.runUntilExit(
            () -> {
              say("starting");
              try {
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                    .readLine();
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
              say("started");
            },
            close,
            closed);
      } else {
        Thread hook =
            new Thread(
                () -> {
                  Signals.runUntilExit(() -> say("started"), close, closed);
                  say("returned");
                });
        Runtime.getRuntime().addShutdownHook(hook);
      }
    }

    private static synchronized void say(String line) {
      System.out.println(line);
      System.out.flush();
    }
  }
}
