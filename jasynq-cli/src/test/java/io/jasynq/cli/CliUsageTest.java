package io.jasynq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Usage errors exit 2 with one line naming the flag and what was typed; every command and
 * subcommand answers {@code -h} and {@code --help}.
 */
class CliUsageTest {
  @TempDir Path home;

  /** A Redis nobody listens on: a usage error must be found before connecting. */
  private Cli.Result run(String... args) {
    return Cli.redis(home, "redis://127.0.0.1:" + Cli.closedPort()).run(args);
  }

  private void assertUsageError(String expected, String... args) {
    Cli.Result r = run(args);
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines())
        .as(r.toString())
        .singleElement()
        .asString()
        .startsWith("jasynq: " + expected)
        .doesNotContain("PT")
        .endsWith("--help')");
  }

  @Test
  void badEnqueueFlagsAreUsageErrorsNamingFlagAndInput() {
    assertUsageError(
        "--retry must be 0 or more, was \"-1\"", "task", "enqueue", "-t", "x", "--retry", "-1");
    assertUsageError(
        "--timeout must be at least 1s, like 30s or 5m, was \"0\"",
        "task",
        "enqueue",
        "-t",
        "x",
        "--timeout",
        "0");
    assertUsageError(
        "--timeout must be at least 1s, like 30s or 5m, was \"500ms\"",
        "task",
        "enqueue",
        "-t",
        "x",
        "--timeout",
        "500ms");
    assertUsageError(
        "--process_in must be a duration like 30s, 5m or 1h30m, was \"garbage\"",
        "task",
        "enqueue",
        "-t",
        "x",
        "--process_in",
        "garbage");
    assertUsageError(
        "--unique must be at least 1s, like 30s or 5m, was \"0\"",
        "task",
        "enqueue",
        "-t",
        "x",
        "--unique",
        "0");
    assertUsageError(
        "--retention must be 0 or at least 1s, like 30s or 5m, was \"10ms\"",
        "task",
        "enqueue",
        "-t",
        "x",
        "--retention",
        "10ms");
    assertUsageError(
        "--deadline must be an RFC 3339 time",
        "task",
        "enqueue",
        "-t",
        "x",
        "--deadline",
        "tomorrow");
  }

  @Test
  void badPagesAreUsageErrorsNamingFlagAndInput() {
    assertUsageError(
        "--page must be 1 or more, was \"0\"",
        "task",
        "ls",
        "-q",
        "default",
        "-s",
        "pending",
        "--page",
        "0");
    assertUsageError(
        "--size must be 0 (all) or more, was \"-1\"",
        "task",
        "ls",
        "-q",
        "default",
        "-s",
        "pending",
        "--size",
        "-1");
    assertUsageError("--page must be 1 or more, was \"0\"", "cron", "history", "e1", "--page", "0");
    assertUsageError(
        "--size must be 0 (all) or more, was \"-1\"", "cron", "history", "e1", "--size", "-1");
  }

  @Test
  void badConnectionFlagsAreUsageErrors() {
    assertUsageError(
        "--cluster_addrs address \"127.0.0.1\" must be HOST:PORT",
        "stats",
        "--cluster",
        "127.0.0.1");
    assertUsageError(
        "give either --cluster or --sentinel, not both",
        "stats",
        "--cluster",
        "a:1",
        "--sentinel",
        "m@b:2");
    assertUsageError(
        "--sentinel must be MASTER@HOST:PORT[,HOST:PORT...], was \"127.0.0.1:26379\"", "stats",
        "--sentinel", "127.0.0.1:26379");
  }

  @Test
  void aNegativeDatabaseIsAUsageError() {
    assertUsageError("--db must be 0 or more, was \"-1\"", "stats", "--db", "-1");
  }

  @Test
  void anUnmatchedArgumentIsNamedWithoutAnIndexThatCountsGlobalFlags() {
    Cli.Result r = run("--uri", "127.0.0.1:1", "--debug", "stats", "extra");
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err().lines())
        .singleElement()
        .asString()
        .startsWith("jasynq: Unexpected argument: 'extra'")
        .doesNotContain("index");
    r = run("queue", "-u", "127.0.0.1:1", "ls", "a", "b");
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("Unexpected arguments: 'a', 'b'").doesNotContain("index");
  }

  @Test
  void everyCommandAndSubcommandAnswersHelp() {
    List<List<String>> paths = new ArrayList<>();
    walk(
        Main.commandLine(),
        new ArrayList<>(),
        paths,
        Collections.newSetFromMap(new IdentityHashMap<>()));
    assertThat(paths).hasSizeGreaterThan(30); // the whole tree, not just the top
    for (List<String> path : paths) {
      for (String flag : new String[] {"-h", "--help"}) {
        List<String> args = new ArrayList<>(path);
        args.add(flag);
        Cli.Result r = run(args.toArray(new String[0]));
        assertThat(r.code()).as(args + "\n" + r).isZero();
        assertThat(r.out()).as(args + "\n" + r).contains("Usage: jasynq");
        assertThat(r.err()).as(args + "\n" + r).isEmpty();
      }
    }
    // Help wins over a missing required option, and over the global flags around it.
    Cli.Result r = run("--uri", "127.0.0.1:1", "task", "enqueue", "--help");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith("Usage: jasynq task enqueue").contains("--type_name");
  }

  private static void walk(
      CommandLine cmd, List<String> path, List<List<String>> paths, Set<CommandLine> seen) {
    paths.add(List.copyOf(path));
    for (Map.Entry<String, CommandLine> sub : cmd.getSubcommands().entrySet()) {
      if (!seen.add(sub.getValue())) {
        continue; // an alias of one already walked
      }
      List<String> next = new ArrayList<>(path);
      next.add(sub.getKey());
      walk(sub.getValue(), next, paths, seen);
    }
  }
}
