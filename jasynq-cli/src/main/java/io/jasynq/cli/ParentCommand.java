package io.jasynq.cli;

import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands: run alone, it is a usage error naming them. */
abstract class ParentCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    String names =
        spec.subcommands().values().stream()
            .map(c -> c.getCommandName())
            .distinct()
            .collect(Collectors.joining("|"));
    throw new ParameterException(spec.commandLine(), "missing subcommand: " + names);
  }
}
