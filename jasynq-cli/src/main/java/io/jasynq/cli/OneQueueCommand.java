package io.jasynq.cli;

import picocli.CommandLine.Option;

/** A leaf command about one queue, named by {@code -q/--queue} (its first option). */
abstract class OneQueueCommand extends CliCommand {
  @Option(
      names = {"-q", "--queue"},
      required = true,
      paramLabel = "QUEUE",
      description = "The queue.")
  String queue;
}
