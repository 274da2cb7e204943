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
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

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
    m.put("metrics", MetricsCommand.class);
    m.put("dashboard", DashboardCommand.class);
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
  static CommandLine commandLine(Environment env, String @Nullable ... args) {
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
    CommandLine dashboard = cli.getSubcommands().get("dashboard");
    if (dashboard != null) {
      DashboardCommand.claimUserOption(dashboard);
    }
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    addHelpOptions(cli);
    cli.setParameterExceptionHandler(Main::usageError);
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) ->
            e instanceof UsageException
                ? usageError(cmd, e.getMessage())
                : failure(e, cmd.getErr(), main.options != null && main.options.debug));
    return cli;
  }

  /**
   * Gives every subcommand, at any depth, {@code -h}/{@code --help}: it prints the command's usage
   * and exits 0, whatever else the command line holds (required options included).
   */
  private static void addHelpOptions(CommandLine cli) {
    for (CommandLine sub : cli.getSubcommands().values()) {
      CommandSpec spec = sub.getCommandSpec();
      if (spec.optionsMap().get("--help") == null && spec.optionsMap().get("-h") == null) {
        spec.addOption(
            OptionSpec.builder("-h", "--help")
                .usageHelp(true)
                .description("Show this help message and exit.")
                .build());
      }
      addHelpOptions(sub);
    }
  }

  private static int usageError(ParameterException e, String[] args) {
    String message = e.getMessage();
    if (e instanceof UnmatchedArgumentException unmatched) {
      // picocli counts the index over the whole command line, global flags included: say which
      // arguments instead.
      message =
          (unmatched.getUnmatched().size() == 1
                  ? "Unexpected argument: "
                  : "Unexpected arguments: ")
              + unmatched.getUnmatched().stream()
                  .map(a -> "'" + a + "'")
                  .collect(java.util.stream.Collectors.joining(", "));
      if (!unmatched.getSuggestions().isEmpty()) {
        message += "; did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?";
      }
      if (unmatched.getUnmatched().stream().allMatch(a -> a.startsWith("-"))) {
        message = message.replace("Unexpected argument", "Unknown option");
      }
    }
    return usageError(e.getCommandLine(), message);
  }

  private static int usageError(CommandLine cmd, @Nullable String message) {
    PrintWriter err = cmd.getErr();
    err.println(
        "jasynq: "
            + oneLine(message)
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
  static String oneLine(@Nullable String message) {
    return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
  }
}
