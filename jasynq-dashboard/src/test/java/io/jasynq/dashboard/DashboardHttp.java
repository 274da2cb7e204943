package io.jasynq.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jasynq.testkit.Eventually;
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

  /** A search job: {@link #jobUntilDone} with the jobs at {@code /api/searches/}. */
  JsonNode searchUntilDone(String route, String json) {
    return jobUntilDone(route, json, "/api/searches/");
  }

  /**
   * Starts a job by POSTing {@code json} to {@code route} (202), waits until the job at {@code
   * jobs} + its id is no longer running and returns it, checked done.
   */
  JsonNode jobUntilDone(String route, String json, String jobs) {
    Reply started = post(route, json);
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    String path = jobs + started.json().get("id").asText();
    Eventually.until(
        path + " to finish", () -> !get(path).json().get("status").asText().equals("running"));
    JsonNode job = get(path).json();
    assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("done");
    return job;
  }

  /** Waits until one scheduler entry is listed and {@code entry} has an enqueue event. */
  void awaitOneSchedulerEntryWithEvents(String entry) {
    Eventually.until(
        "the entry to be listed and to have enqueued",
        () ->
            get("/api/scheduler_entries").json().get("entries").size() == 1
                && !get("/api/scheduler_entries/" + entry + "/enqueue_events")
                    .json()
                    .get("events")
                    .isEmpty());
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
