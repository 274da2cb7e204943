package io.jasynq.spring.boot;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.context.ConfigurableApplicationContext;

/** The dashboard's HTTP side for the tests: requests to a running context's Tomcat. */
final class DashboardHttp {
  private static final Pattern CSRF_COOKIE = Pattern.compile("^jasynq_csrf=([^;]+)");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String authorization;

  private DashboardHttp(String base, String authorization) {
    this.base = base;
    this.authorization = authorization;
  }

  /** Requests to the context's server, without credentials. */
  static DashboardHttp to(ConfigurableApplicationContext context) {
    return new DashboardHttp(
        "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"), null);
  }

  /** The same requests with HTTP Basic credentials. */
  DashboardHttp as(String user, String password) {
    String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
    return new DashboardHttp(base, "Basic " + token);
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(request(path).GET());
  }

  /** A POST without a body, with the given CSRF cookie and header values (null: not sent). */
  HttpResponse<String> post(String path, String cookie, String header)
      throws IOException, InterruptedException {
    return post(path, null, cookie, header);
  }

  /** A POST of {@code json} (null: no body), with the CSRF cookie and header (null: not sent). */
  HttpResponse<String> post(String path, String json, String cookie, String header)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        request(path)
            .POST(
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    if (cookie != null) {
      request.header("Cookie", "jasynq_csrf=" + cookie);
    }
    if (header != null) {
      request.header("X-CSRF-Token", header);
    }
    return send(request);
  }

  /** The CSRF token the dashboard sets on a GET of {@code path}. */
  String csrfToken(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = get(path);
    List<String> cookies = response.headers().allValues("Set-Cookie");
    for (String cookie : cookies) {
      Matcher m = CSRF_COOKIE.matcher(cookie);
      if (m.find()) {
        return m.group(1);
      }
    }
    throw new AssertionError("no jasynq_csrf cookie from GET " + path + ": " + cookies);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return request;
  }

  private HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
