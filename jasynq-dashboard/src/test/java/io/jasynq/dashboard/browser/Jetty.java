package io.jasynq.dashboard.browser;

import io.jasynq.dashboard.Dashboard;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A dashboard mounted at {@code /jobs/*} in a Jetty on a free loopback port. */
final class Jetty implements AutoCloseable {
  static final String MOUNT = "/jobs";
  private final Server server;
  private final int port;

  private Jetty(Server server, int port) {
    this.server = server;
    this.port = port;
  }

  static Jetty start(Dashboard dashboard) {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(dashboard.servlet()), MOUNT + "/*");
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start Jetty", e);
    }
    return new Jetty(server, connector.getLocalPort());
  }

  /** The absolute URL of {@code path} under the mount. */
  String url(String path) {
    return "http://127.0.0.1:" + port + MOUNT + path;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop Jetty", e);
    }
  }
}
