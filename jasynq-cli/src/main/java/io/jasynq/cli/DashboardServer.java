package io.jasynq.cli;

import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * The embedded Jetty of {@code jasynq dashboard}: one servlet at one mount path on one address. Its
 * threads are {@code jasynq-dashboard-http-N} and {@code jasynq-dashboard-scheduler}, all ended by
 * {@link #close()}. Started and closed by the command's thread.
 */
final class DashboardServer implements AutoCloseable {
  /** How long {@link #close()} lets requests in progress finish. */
  static final long STOP_TIMEOUT_MILLIS = 5_000;

  private final Server server;
  private final int port;

  private DashboardServer(Server server, int port) {
    this.server = server;
    this.port = port;
  }

  /**
   * Serves {@code servlet} at {@code mount} ("" for the root, else "/name...", no trailing slash).
   *
   * @throws CliException if the address cannot be listened on (port in use, address not local)
   */
  static DashboardServer start(InetAddress address, int port, String mount, HttpServlet servlet) {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("jasynq-dashboard-http");
    Server server =
        new Server(
            threads, new ScheduledExecutorScheduler("jasynq-dashboard-scheduler", false), null);
    server.setStopTimeout(STOP_TIMEOUT_MILLIS);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(address.getHostAddress());
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder("jasynq-dashboard", servlet), mount + "/*");
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      stopQuietly(server, e);
      throw new CliException(
          "cannot listen on " + DashboardCommand.hostPort(address, port) + ": " + reason(e));
    }
    return new DashboardServer(server, connector.getLocalPort());
  }

  /** The port listened on (the one chosen when 0 was asked for). */
  int port() {
    return port;
  }

  /** Stops accepting, lets requests in progress finish (bounded), and ends every thread. */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new CliException("cannot stop the dashboard's HTTP server: " + reason(e));
    }
  }

  private static void stopQuietly(Server server, Exception failure) {
    try {
      server.stop();
    } catch (Exception e) {
      failure.addSuppressed(e);
    }
  }

  /** The bind failure's own words ("Address already in use"), else the first message found. */
  private static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException && t.getMessage() != null) {
        return t.getMessage();
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException && t.getMessage() != null) {
        return t.getMessage();
      }
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
