package io.jasynq.dashboard;

import io.jasynq.JasynqException;
import io.jasynq.QueueNotEmptyException;
import io.jasynq.QueueNotFoundException;
import io.jasynq.QueueStateException;
import io.jasynq.TaskNotFoundException;
import io.jasynq.TaskStateException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's one servlet: security headers, authentication, CSRF, then the JSON API under
 * {@code /api}, the page's third-party files under {@code /vendor/uplot/} (uPlot's {@code dist}
 * folder from its webjar), or the page's own files. Mountable at any path ({@code /jobs/*}, {@code
 * /*}, or as the default servlet {@code /}). Thread-safe: immutable after construction.
 */
final class DashboardServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(DashboardServlet.class);
  private static final String UPLOT = "/vendor/uplot/";

  private final transient Api api;
  private final transient StaticFiles files;
  private final transient StaticFiles uplot = vendor("uplot");
  private final transient DashboardAuthenticator authenticator;
  private final transient BooleanSupplier closed;

  DashboardServlet(
      Api api, StaticFiles files, DashboardAuthenticator authenticator, BooleanSupplier closed) {
    this.api = api;
    this.files = files;
    this.authenticator = authenticator;
    this.closed = closed;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Replies.securityHeaders(response);
    if (closed.getAsBoolean()) {
      Replies.writeError(response, 503, "the dashboard is closed");
      return;
    }
    if (!authenticator.authenticate(request, response)) {
      return;
    }
    String method = request.getMethod();
    boolean defaultMapping =
        request.getHttpServletMapping().getMappingMatch() == MappingMatch.DEFAULT;
    String path = defaultMapping ? request.getServletPath() : request.getPathInfo();
    String mount = request.getContextPath() + (defaultMapping ? "" : request.getServletPath());
    if (path == null || path.isEmpty()) {
      // /jobs without the slash: relative URLs in the page need it.
      response.setStatus(302);
      response.setHeader("Location", mount + "/");
      return;
    }
    if ((method.equals("GET") || method.equals("HEAD")) && Csrf.cookie(request) == null) {
      Csrf.issue(request, response, mount.isEmpty() ? "/" : mount);
    }
    if (Csrf.MUTATIONS.contains(method)) {
      String refusal = Csrf.refusal(request);
      if (refusal != null) {
        Replies.writeError(response, 403, refusal);
        return;
      }
    }
    if (path.equals("/api") || path.startsWith("/api/")) {
      serveApi(request, response, method, path.substring(4));
    } else if (path.startsWith(UPLOT)) {
      uplot.serve(request, response, path.substring(UPLOT.length() - 1));
    } else {
      files.serve(request, response, path);
    }
  }

  private void serveApi(
      HttpServletRequest request, HttpServletResponse response, String method, String path)
      throws IOException {
    int status;
    String message;
    try {
      Object body = api.match(method, path, request).run();
      if (body instanceof Route.Reply r) {
        Replies.writeJson(response, r.status(), r.body());
      } else {
        Replies.writeJson(response, body == null ? 204 : 200, body);
      }
      return;
    } catch (ApiError e) {
      status = e.status();
      message = e.getMessage();
    } catch (QueueNotFoundException | TaskNotFoundException e) {
      status = 404;
      message = e.getMessage();
    } catch (QueueNotEmptyException | IllegalArgumentException e) {
      status = 400;
      message = e.getMessage();
    } catch (TaskStateException | QueueStateException e) {
      status = 409;
      message = e.getMessage();
    } catch (IllegalStateException e) {
      if (!closed.getAsBoolean()) {
        throw e;
      }
      status = 503;
      message = "the dashboard is closed";
    } catch (JasynqException e) {
      log.warn("{} /api{} failed: {}", method, path, e.toString());
      status = 500;
      message = e.getMessage();
    }
    Replies.writeError(response, status, message);
  }

  /**
   * The files of webjar {@code name}'s {@code dist} folder, at the version {@code
   * vendor.properties} names (the one the build depends on).
   */
  private static StaticFiles vendor(String name) {
    String version = "missing";
    try (InputStream in = DashboardServlet.class.getResourceAsStream("vendor.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        version = p.getProperty(name, version);
      }
    } catch (IOException e) {
      // The folder below then does not exist: every file is a 404.
    }
    return new StaticFiles(
        "META-INF/resources/webjars/" + name + "/" + version + "/dist/",
        DashboardServlet.class.getClassLoader());
  }
}
