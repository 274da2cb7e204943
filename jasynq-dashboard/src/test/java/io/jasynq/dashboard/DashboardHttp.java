package io.jasynq.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A dashboard mounted at {@code /jobs/*} in a Jetty on a free loopback port, and an HTTP client
 * that keeps cookies and sends the CSRF token on mutations, as the page's script does.
 */
final class DashboardHttp implements AutoCloseable {
  static final String MOUNT = "/jobs";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Server jetty;
  private final int port;
  private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
  private final HttpClient client;

  private DashboardHttp(Server jetty, int port) {
    this.jetty = jetty;
    this.port = port;
    this.client =
        HttpClient.newBuilder()
            .cookieHandler(cookies)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** Mounts {@code dashboard}'s servlet at {@code /jobs/*} and starts Jetty. */
  static DashboardHttp start(Dashboard dashboard) {
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(dashboard.servlet()), MOUNT + "/*");
    jetty.setHandler(context);
    try {
      jetty.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start Jetty", e);
    }
    return new DashboardHttp(jetty, connector.getLocalPort());
  }

  /** A response: status, headers and body. */
  record Reply(HttpResponse<byte[]> raw) {
    int status() {
      return raw.statusCode();
    }

    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    String text() {
      return new String(raw.body(), StandardCharsets.UTF_8);
    }

    JsonNode json() {
      try {
        return JSON.readTree(raw.body());
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + text(), e);
      }
    }

    @Override
    public String toString() {
      return raw.statusCode() + " " + text();
    }
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + MOUNT + path);
  }

  String host() {
    return "127.0.0.1:" + port;
  }

  Reply get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  /** A mutation with the CSRF token (a GET first when there is no cookie yet). */
  Reply post(String path, String json) {
    return send(withToken(HttpRequest.newBuilder(uri(path)).POST(body(json))));
  }

  Reply delete(String path) {
    return send(withToken(HttpRequest.newBuilder(uri(path)).DELETE()));
  }

  Reply send(HttpRequest.Builder request) {
    try {
      return new Reply(client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String token() {
    for (HttpCookie c : cookies.getCookieStore().getCookies()) {
      if (c.getName().equals(Csrf.COOKIE)) {
        return c.getValue();
      }
    }
    get("/api/config");
    for (HttpCookie c : cookies.getCookieStore().getCookies()) {
      if (c.getName().equals(Csrf.COOKIE)) {
        return c.getValue();
      }
    }
    throw new AssertionError("no " + Csrf.COOKIE + " cookie after a GET");
  }

  CookieManager cookies() {
    return cookies;
  }

  HttpRequest.Builder withToken(HttpRequest.Builder b) {
    return b.header(Csrf.HEADER, token());
  }

  static HttpRequest.BodyPublisher body(String json) {
    return json == null
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(json);
  }

  @Override
  public void close() {
    try {
      jetty.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop Jetty", e);
    }
  }
}
