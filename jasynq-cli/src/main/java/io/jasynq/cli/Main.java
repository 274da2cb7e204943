package io.jasynq.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jasynq} command. */
@Command(
    name = "jasynq",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.class,
    description = "jasynq: a Redis-backed task queue for the JVM, wire-compatible with Asynq.",
    subcommands = {DemoCommand.class, VersionCommand.class, CommandLine.HelpCommand.class})
public final class Main {
  private Main() {}

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit status (for tests). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command line; tests set its output writers. */
  static CommandLine commandLine() {
    return new CommandLine(new Main())
        .setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              cmd.getErr().println("jasynq: " + e.getMessage());
              return 1;
            });
  }
}
