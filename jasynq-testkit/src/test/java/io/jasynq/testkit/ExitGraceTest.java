package io.jasynq.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jasynq.embedded.ServerLauncher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link RedisServer.Builder#exitGrace(Duration)}: a graced server runs in a session of its own and
 * outlives the JVM's exit until its owner closes it; an ungraced one is killed at once.
 */
class ExitGraceTest {
  @Test
  void exitGraceRejectsNegativeAndTooLongValuesNamingThem() {
    RedisServer.Builder builder = RedisServer.builder();
    assertThatThrownBy(() -> builder.exitGrace(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exitGrace")
        .hasMessageContaining("PT-0.001S");
    assertThatThrownBy(() -> builder.exitGrace(Duration.ofSeconds(61)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT1M1S");
    assertThatThrownBy(() -> builder.exitGrace(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("exitGrace == null");
    assertThat(builder.exitGrace(RedisServer.Builder.MAX_EXIT_GRACE)).isNotNull();
  }

  @Test
  void gracedServerRunsInASessionOfItsOwnAsRedisServerItself() throws IOException {
    assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "no /proc");
    assumeTrue(ServerLauncher.setsid().isPresent(), "no setsid");
    try (RedisServer server = RedisServer.builder().exitGrace(Duration.ofSeconds(5)).start()) {
      long pid = server.pid();
      // redis-server rewrites its title to "PATH HOST:PORT"; under a forking setsid it would be
      // setsid's pid here, and its command line would start with setsid.
      assertThat(commandLine(pid)).startsWith(server.binary().path() + " ");
      assertThat(session(pid)).isNotEqualTo(session(ProcessHandle.current().pid())).isEqualTo(pid);
      server.restart();
      assertThat(session(server.pid())).isEqualTo(server.pid());
    }
  }

  @Test
  void ungracedServerSharesTheJvmsSession() throws IOException {
    assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "no /proc");
    try (RedisServer server = RedisServer.start()) {
      assertThat(commandLine(server.pid())).startsWith(server.binary().path() + " ");
      assertThat(session(server.pid())).isEqualTo(session(ProcessHandle.current().pid()));
    }
  }

  @Test
  void atExitTheReaperKillsUngracedServersAtOnceAndWaitsForTheOwnerToCloseGracedOnes()
      throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process child =
        new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"), ExitGraceApp.class.getName())
            .redirectErrorStream(true)
            .start();
    Map<String, String> values = new HashMap<>();
    StringBuilder output = new StringBuilder();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      readUntil(reader, "ready", values, output);
      assertThat(values).as(output.toString()).containsKeys("graced-pid", "ungraced-pid");

      // SIGTERM to the child JVM's pid alone; Process.destroy() would also close our end of its
      // output, which the rest of the test reads.
      assertThat(child.toHandle().destroy()).isTrue();
      readUntil(reader, null, values, output);
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).as(output.toString()).isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(values)
        .as(output.toString())
        .containsEntry("graced-alive", "true")
        .containsEntry("ungraced-alive", "false")
        .containsKey("graced-closed");
    for (String key : List.of("graced-pid", "ungraced-pid")) {
      long pid = Long.parseLong(values.get(key));
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
          .as(key + " " + pid + " after the child exited")
          .isFalse();
    }
  }

  /** Reads {@code key=value} lines until {@code last} (or the end of the stream when null). */
  private static void readUntil(
      BufferedReader reader, String last, Map<String, String> values, StringBuilder output)
      throws IOException {
    String line;
    while ((line = reader.readLine()) != null) {
      output.append(line).append('\n');
      int eq = line.indexOf('=');
      values.put(eq < 0 ? line : line.substring(0, eq), eq < 0 ? "" : line.substring(eq + 1));
      if (line.equals(last)) {
        return;
      }
    }
  }

  private static String commandLine(long pid) throws IOException {
    return Files.readString(Path.of("/proc/" + pid + "/cmdline"), StandardCharsets.UTF_8);
  }

  /** Field 6 of /proc/PID/stat, counted after the command name, which may hold spaces. */
  private static long session(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.UTF_8);
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // fields[0] is field 3 (state): field 6 (session) is fields[3].
    return Long.parseLong(fields[3]);
  }
}
