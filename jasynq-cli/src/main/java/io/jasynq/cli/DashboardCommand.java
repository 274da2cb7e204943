package io.jasynq.cli;

import io.jasynq.dashboard.BasicAuthenticator;
import io.jasynq.dashboard.Dashboard;
import io.jasynq.dashboard.DashboardAuthenticator;
import io.jasynq.redis.RedisConnector;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * {@code jasynq dashboard}: serves the web dashboard (jasynq-dashboard's servlet in an embedded
 * Jetty) over the connection the global options describe, until SIGINT or SIGTERM; then stops
 * Jetty, closes the dashboard and the connection, in that order, and exits 0.
 *
 * <p>It listens on 127.0.0.1 unless {@code --bind} says otherwise; a non-loopback address is
 * refused without {@code --user} (HTTP Basic) unless {@code --insecure-no-auth} is given. The
 * password comes from a file ({@code --password-file}) or {@code $JASYNQ_DASHBOARD_PASSWORD}, never
 * from the command line, which other users of the machine can read.
 *
 * <p>Inside this command {@code --user} is the dashboard's user: the global options' {@code --user}
 * alias of the Redis user name is {@code -U}/{@code --username} here (see {@link
 * #claimUserOption}).
 */
@Command(
    name = "dashboard",
    sortOptions = false,
    description = {
      "Serve the web dashboard (queues, tasks, servers, cron entries; pause, run, archive,"
          + " delete, cancel) at http://ADDRESS:PORT/PATH until interrupted.",
      "Listens on 127.0.0.1 only unless --bind says otherwise. HTTP Basic authentication with"
          + " --user and --password-file (or $"
          + DashboardCommand.PASSWORD_VARIABLE
          + "); there is no option for the password itself: command lines are visible to other"
          + " users of the machine.",
      "Inside this command --user is the dashboard's user; the Redis user name is -U/--username."
    })
final class DashboardCommand extends CliCommand {
  static final int DEFAULT_PORT = 8080;
  static final String DEFAULT_BIND = "127.0.0.1";

  /** The environment variable the password is read from when there is no --password-file. */
  static final String PASSWORD_VARIABLE = "JASYNQ_DASHBOARD_PASSWORD";

  /** Mount path segments: no characters that mean something in a URL or a servlet mapping. */
  private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)*/?");

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port = DEFAULT_PORT;

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      description =
          "Address to listen on (default: ${DEFAULT-VALUE}, this machine only). Any other"
              + " address, 0.0.0.0 included, is reachable from the network: it needs --user, or"
              + " --insecure-no-auth.")
  String bind = DEFAULT_BIND;

  @Option(
      names = "--path",
      paramLabel = "PATH",
      description =
          "Where to mount the dashboard (default: ${DEFAULT-VALUE}). With /jobs the page is at"
              + " /jobs/ and the JSON API under /jobs/api/.")
  String path = "/";

  @Option(
      names = "--read-only",
      description =
          "Refuse every change (pause, resume, run, archive, delete, cancel); viewing and"
              + " searching still work.")
  boolean readOnly;

  @Option(
      names = "--read-only-queue",
      paramLabel = "QUEUE",
      description = "Refuse changes to this queue only; repeat for more queues.")
  List<String> readOnlyQueues = new ArrayList<>();

  /** {@code --user}: registered by {@link #claimUserOption}, not by annotation. */
  @Nullable String user;

  @Option(
      names = "--password-file",
      paramLabel = "FILE",
      description =
          "File whose first line is --user's password (default: $"
              + PASSWORD_VARIABLE
              + ", when set).")
  Path passwordFile;

  @Option(
      names = "--insecure-no-auth",
      description =
          "Allow a --bind address reachable from the network without --user: anyone who"
              + " reaches it can see and change the queues.")
  boolean insecureNoAuth;

  // Shared between the command's thread and a shutdown hook or a test.
  private final UntilStopped until = new UntilStopped();

  /**
   * Gives {@code --user} to the dashboard. The global options declare {@code --user} as an alias of
   * the Redis user name, inherited by every subcommand; here it is removed from that option (which
   * keeps {@code -U} and {@code --username}) and declared for the dashboard's user, placed just
   * before {@code --password-file}. Called by {@link Main} after adding the subcommand.
   */
  static void claimUserOption(CommandLine dashboard) {
    CommandSpec spec = dashboard.getCommandSpec();
    DashboardCommand command = dashboard.getCommand();
    List<OptionSpec> options = new ArrayList<>(spec.options());
    options.forEach(spec::remove);
    for (OptionSpec option : options) {
      if (option.longestName().equals("--password-file")) {
        spec.addOption(userOption(command));
      }
      List<String> names = new ArrayList<>(Arrays.asList(option.names()));
      if (option.inherited() && names.remove("--user")) {
        option = OptionSpec.builder(option).names(names.toArray(String[]::new)).build();
      }
      spec.addOption(option);
    }
  }

  private static OptionSpec userOption(DashboardCommand command) {
    return OptionSpec.builder("--user")
        .paramLabel("NAME")
        .type(String.class)
        .description(
            "Require HTTP Basic authentication as this user; the password comes from"
                + " --password-file or $"
                + PASSWORD_VARIABLE
                + ". Basic sends it in clear text: use HTTPS in front when not on loopback.")
        .setter(
            new ISetter() {
              @Override
              @SuppressWarnings("unchecked")
              public <T> @Nullable T set(T value) {
                T previous = (T) command.user;
                command.user = (String) value;
                return previous;
              }
            })
        .build();
  }

  @Override
  int execute() {
    if (port < 0 || port > 65535) {
      throw new UsageException("--port must be 0..65535, was \"" + port + "\"");
    }
    String mount = mountPath();
    InetAddress address = bindAddress();
    DashboardAuthenticator authenticator = authenticator();
    if (!address.isLoopbackAddress()) {
      if (user == null && !insecureNoAuth) {
        throw new UsageException(
            "--bind "
                + bind
                + " is reachable from the network: give --user and --password-file, or"
                + " --insecure-no-auth to serve it without authentication");
      }
      warn(
          "the dashboard on "
              + hostPort(address, port)
              + " is reachable from the network"
              + (user == null
                  ? " with no authentication (--insecure-no-auth): anyone who reaches it can"
                      + " change the queues"
                  : "; HTTP Basic sends the password in clear text: put HTTPS in front of it"));
    }
    until.arm("jasynq-dashboard-shutdown");
    // Closed in reverse: Jetty (no more requests), the dashboard (its searches), the connection.
    try (RedisConnector connector = session().connector();
        Dashboard dashboard =
            Dashboard.builder()
                .connector(connector)
                .readOnly(readOnly)
                .readOnlyQueues(readOnlyQueues)
                .authenticator(authenticator)
                .build();
        DashboardServer server = DashboardServer.start(address, port, mount, dashboard.servlet())) {
      out().println("jasynq dashboard on " + url(address, server.port(), mount) + modeNote());
      out().flush();
      until.await();
    } finally {
      until.close();
    }
    return 0;
  }

  /** Ends the command: what SIGINT and SIGTERM do, through the shutdown hook; tests call it. */
  void stop() {
    until.stop();
  }

  /** {@code --path} as a servlet mount: "" for the root, else "/a/b" without a trailing slash. */
  String mountPath() {
    if (!path.startsWith("/") || !PATH.matcher(path).matches()) {
      throw new UsageException(
          "--path must be / or /NAME[/NAME...] with letters, digits, '.', '_', '~' and '-', was \""
              + path
              + "\"");
    }
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private InetAddress bindAddress() {
    try {
      if (!bind.isBlank()) {
        return InetAddress.getByName(bind);
      }
    } catch (UnknownHostException e) {
      // Reported below.
    }
    throw new UsageException(
        "--bind must be an address of this machine like 127.0.0.1 or 0.0.0.0, was \""
            + bind
            + "\"");
  }

  /** Basic authentication as --user, or everyone in when there is no --user. */
  private DashboardAuthenticator authenticator() {
    if (user == null) {
      if (passwordFile != null) {
        throw new UsageException("--password-file needs --user (the user it is the password of)");
      }
      return DashboardAuthenticator.ALLOW_ALL;
    }
    if (user.isBlank() || user.indexOf(':') >= 0) {
      throw new UsageException("--user must be non-blank and without ':', was \"" + user + "\"");
    }
    String password =
        passwordFile != null ? readPassword(passwordFile) : env().variable(PASSWORD_VARIABLE);
    if (password == null) {
      throw new UsageException(
          "--user needs a password: give --password-file FILE, or set $" + PASSWORD_VARIABLE);
    }
    return BasicAuthenticator.of(user, password);
  }

  /** The file's first line, without its line break. */
  static String readPassword(Path file) {
    String content;
    try {
      content = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new CliException("--password-file " + file + " does not exist");
    } catch (IOException e) {
      throw new CliException(
          "--password-file " + file + " cannot be read: " + Main.oneLine(e.toString()));
    }
    String first = content.lines().findFirst().orElse("");
    if (first.isEmpty()) {
      throw new CliException(
          "--password-file " + file + " has no password (its first line is empty)");
    }
    return first;
  }

  private String modeNote() {
    if (readOnly) {
      return " (read-only)";
    }
    return readOnlyQueues.isEmpty()
        ? ""
        : " (read-only queues: " + String.join(", ", readOnlyQueues) + ")";
  }

  /** {@code host:port}, with brackets around an IPv6 host. */
  static String hostPort(InetAddress address, int port) {
    String host = address.getHostAddress();
    return (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
  }

  private static String url(InetAddress address, int port, String mount) {
    return "http://" + hostPort(address, port) + mount + "/";
  }
}
