package io.jasynq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run builds picocli's model only of the subcommands its arguments name (startup time). */
class CommandLineLazinessTest {
  @TempDir Path home;

  private java.util.Set<String> built(String... args) {
    return Main.commandLine(new Environment(Map.of(), home, Clock.systemUTC()), args)
        .getSubcommands()
        .keySet();
  }

  @Test
  void onlyTheNamedSubcommandsAreBuilt() {
    assertThat(built("stats", "-u", "redis://h:1")).containsExactly("stats");
    // A subcommand's name as an option's value costs one more subcommand, and still parses.
    assertThat(built("-p", "task", "queue", "ls")).containsExactly("queue", "task");
  }

  @Test
  void everySubcommandWhenNoneOrHelpIsNamed() {
    assertThat(built()).contains("stats", "queue", "task", "version", "demo", "help");
    assertThat(built("--help")).contains("stats", "queue", "task", "version", "demo", "help");
    assertThat(built("help", "stats")).contains("queue", "task", "cron");
    assertThat(built("qeue", "ls")).contains("queue");
  }
}
