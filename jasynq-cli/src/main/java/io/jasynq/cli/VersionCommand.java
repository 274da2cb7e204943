package io.jasynq.cli;

import io.jasynq.Client;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code jasynq version}. */
@Command(name = "version", description = "Print the jasynq version.")
final class VersionCommand implements Callable<Integer>, IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Client.class.getPackage().getImplementationVersion();
    return new String[] {
      "jasynq " + (v == null ? "0.1.0-SNAPSHOT" : v) + " (Asynq wire format v0.24–v0.26)"
    };
  }

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println(getVersion()[0]);
    return 0;
  }
}
