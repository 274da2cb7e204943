package io.jasynq.cli;

import io.jasynq.Client;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

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

  @Override
  public Integer call() {
    System.out.println(getVersion()[0]);
    return 0;
  }
}
