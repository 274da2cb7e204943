package io.jasynq.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Decides whether a request may reach the dashboard. Called before every request, the page's files
 * included, before anything else is done with it.
 *
 * <p>An implementation that refuses writes the whole response itself (for example a 401 with a
 * {@code WWW-Authenticate} challenge) and returns false; the dashboard then does nothing more. The
 * dashboard's security headers are already set on the response when it is called.
 *
 * <p>Implementations must be thread-safe: the container calls them from many threads at once.
 *
 * @see BasicAuthenticator
 * @since 0.2
 */
@FunctionalInterface
public interface DashboardAuthenticator {
  /** Lets every request in: the default, for a dashboard the application protects itself. */
  DashboardAuthenticator ALLOW_ALL = (request, response) -> true;

  /**
   * Whether {@code request} may go on.
   *
   * @param request the request, not yet read
   * @param response the response, not yet committed; write the refusal to it when returning false
   * @return true to serve the request, false if this method has written a refusal
   * @throws IOException if writing the refusal fails
   */
  boolean authenticate(HttpServletRequest request, HttpServletResponse response) throws IOException;
}
