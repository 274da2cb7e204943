package io.jasynq.cli;

import io.jasynq.JasynqException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;

/**
 * The {@code jasynq} command: the asynq CLI's commands for inspecting and fixing queues, and a
 * demo.
 *
 * <p>Exit status: 0 on success, 1 when the command failed (unknown queue or task, Redis
 * unreachable, ...), 2 on a usage error (unknown flag, missing argument). Failures print one line
 * on stderr; {@code --debug} adds the stack trace.
 */
@Command(
    name = "jasynq",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.class,
    sortOptions = false,
    description = "jasynq: a Redis-backed task queue for the JVM, wire-compatible with Asynq.")
public final class Main {
  /**
   * The subcommands, in the order help lists them. Registered by {@link #commandLine(Environment,
   * String...)}, not by the annotation, so that a run builds only the ones its arguments name.
   */
  private static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

  private static Map<String, Class<?>> subcommands() {
    Map<String, Class<?>> m = new LinkedHashMap<>();
    m.put("stats", StatsCommand.class);
    m.put("queue", QueueCommand.class);
    m.put("task", TaskCommand.class);
    m.put("group", GroupCommand.class);
    m.put("server", ServerCommand.class);
    m.put("cron", CronCommand.class);
    m.put("version", VersionCommand.class);
    m.put("demo", DemoCommand.class);
    m.put("help", CommandLine.HelpCommand.class);
    return m;
  }

  @Mixin GlobalOptions options;

  final Environment env;

  private Main(Environment env) {
    this.env = env;
  }

  /**
   * Runs the command line and exits with its status.
   *
   * @param args the command line, as {@code jasynq} received it
   */
  public static void main(String[] args) {
    // A short-lived command gains nothing from Netty's Unsafe use, and on JDK 24+ it costs a
    // four-line warning on stderr. Must be set before any Netty class loads.
    if (System.getProperty("io.netty.noUnsafe") == null) {
      System.setProperty("io.netty.noUnsafe", "true");
    }
    // Lettuce's and Netty's JFR events cost a one-shot command ~0.1 s of class loading (jdk.jfr)
    // and record nothing anyone reads. Must be set before their classes load.
    for (String jfr : new String[] {"io.lettuce.core.jfr", "io.netty.jfr.enabled"}) {
      if (System.getProperty(jfr) == null) {
        System.setProperty(jfr, "false");
      }
    }
    if (java.util.Arrays.asList(args).contains("--debug")) {
      // Before any logger exists: SimpleLogger reads its levels once.
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
      System.setProperty("org.slf4j.simpleLogger.log.io.lettuce", "warn");
      System.setProperty("org.slf4j.simpleLogger.log.io.netty", "warn");
    }
    System.exit(run(args));
  }

  /**
   * Runs the command line against the real environment and returns its exit status.
   *
   * @param args the command line
   * @return 0 on success, 1 on failure, 2 on a usage error
   */
  public static int run(String... args) {
    return commandLine(Environment.system(), args).execute(args);
  }

  /** The configured command line over the real environment. */
  static CommandLine commandLine() {
    return commandLine(Environment.system());
  }

  /** The configured command line; tests give their environment and set its writers. */
  static CommandLine commandLine(Environment env) {
    return commandLine(env, (String[]) null);
  }

  /**
   * The configured command line for {@code args}: with only the subcommands whose names occur in
   * {@code args}, or all of them when none does, or {@code help} does, or {@code args} is null.
   * Building picocli's model of every command by reflection was a third of a one-shot command's
   * startup; a name that occurs only as an option's value costs one needless subcommand, nothing
   * more.
   */
  static CommandLine commandLine(Environment env, String... args) {
    Main main = new Main(Objects.requireNonNull(env, "env == null"));
    CommandLine cli = new CommandLine(main);
    Set<String> named = new HashSet<>(args == null ? List.of() : Arrays.asList(args));
    named.retainAll(SUBCOMMANDS.keySet());
    boolean all = named.isEmpty() || named.contains("help");
    SUBCOMMANDS.forEach(
        (name, type) -> {
          if (all || named.contains(name)) {
            cli.addSubcommand(name, type);
          }
        });
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler(Main::usageError);
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> failure(e, cmd.getErr(), main.options != null && main.options.debug));
    return cli;
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println(
        "jasynq: "
            + oneLine(e.getMessage())
            + " (see '"
            + cmd.getCommandSpec().qualifiedName()
            + " --help')");
    err.flush();
    return 2;
  }

  static int failure(Exception e, PrintWriter err, boolean debug) {
    String message = e.getMessage();
    if (!(e instanceof JasynqException
        || e instanceof IllegalArgumentException
        || e instanceof IllegalStateException
        || e instanceof CliException)) {
      message = e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
    err.println("jasynq: " + oneLine(message == null ? e.getClass().getSimpleName() : message));
    if (debug) {
      e.printStackTrace(err);
    }
    err.flush();
    return 1;
  }

  /** Multi-line messages (Lettuce's, picocli's) folded into one line. */
  static String oneLine(String message) {
    return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
  }
}
