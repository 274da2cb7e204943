package io.jasynq.cli;

import io.jasynq.Client;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jasynq version}. */
@Command(name = "version", description = "Print the jasynq version.")
final class VersionCommand implements Callable<Integer>, IVersionProvider {
  private static final String WIRE_FORMAT = "Asynq v0.24–v0.26";

  @Override
  public String[] getVersion() {
    return new String[] {
      "jasynq " + version() + " (" + WIRE_FORMAT.replace("Asynq ", "Asynq wire format ") + ")"
    };
  }

  private static String version() {
    String v = Client.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }

  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print JSON: {\"version\": ..., \"wire_format\": ...}.")
  boolean json;

  @Override
  public Integer call() {
    if (json) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("version", version());
      m.put("wire_format", WIRE_FORMAT);
      Json.print(spec.commandLine().getOut(), m);
    } else {
      spec.commandLine().getOut().println(getVersion()[0]);
    }
    spec.commandLine().getOut().flush();
    return 0;
  }
}
