package io.jasynq.dashboard;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Double-submit CSRF protection. A GET without the {@value #COOKIE} cookie gets one (random, {@code
 * SameSite=Strict}, {@code Path} = the mount path, {@code Secure} on secure requests, and readable
 * by the page's script so it can echo it); a mutation (POST, PUT, PATCH, DELETE) must send the same
 * value in the {@value #HEADER} header (compared in constant time), and its {@code Origin}, when
 * present, must name the request's host. Stateless apart from the random source.
 */
final class Csrf {
  static final String COOKIE = "jasynq_csrf";
  static final String HEADER = "X-CSRF-Token";
  static final Set<String> MUTATIONS = Set.of("POST", "PUT", "PATCH", "DELETE");

  private static final SecureRandom RANDOM = new SecureRandom();

  private Csrf() {}

  /** The request's token cookie, or null. */
  static @Nullable String cookie(HttpServletRequest request) {
    Cookie[] cookies = request.getCookies();
    if (cookies == null) {
      return null;
    }
    for (Cookie c : cookies) {
      if (COOKIE.equals(c.getName()) && !c.getValue().isEmpty()) {
        return c.getValue();
      }
    }
    return null;
  }

  /** Sets a new token cookie scoped to {@code mountPath}. */
  static void issue(HttpServletRequest request, HttpServletResponse response, String mountPath) {
    byte[] token = new byte[32];
    RANDOM.nextBytes(token);
    String value = Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    response.addHeader(
        "Set-Cookie",
        COOKIE
            + "="
            + value
            + "; Path="
            + mountPath
            + "; SameSite=Strict"
            + (request.isSecure() ? "; Secure" : ""));
  }

  /** Why the mutation is refused, or null when it carries the token and a matching origin. */
  static @Nullable String refusal(HttpServletRequest request) {
    String cookie = cookie(request);
    String header = request.getHeader(HEADER);
    if (cookie == null) {
      return "CSRF check failed: no " + COOKIE + " cookie (load the dashboard page first)";
    }
    if (header == null
        || !MessageDigest.isEqual(
            cookie.getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8))) {
      return "CSRF check failed: the " + HEADER + " header must equal the " + COOKIE + " cookie";
    }
    String origin = request.getHeader("Origin");
    if (origin != null && !sameHost(origin, request)) {
      return "CSRF check failed: Origin " + origin + " is not this dashboard's host";
    }
    return null;
  }

  private static boolean sameHost(String origin, HttpServletRequest request) {
    URI o;
    try {
      o = new URI(origin);
    } catch (URISyntaxException e) {
      return false;
    }
    if (o.getHost() == null || o.getScheme() == null) {
      return false;
    }
    String host = request.getHeader("Host");
    if (host == null) {
      return false;
    }
    URI h;
    try {
      h = new URI(o.getScheme() + "://" + host);
    } catch (URISyntaxException e) {
      return false;
    }
    return o.getHost().equalsIgnoreCase(String.valueOf(h.getHost())) && port(o) == port(h);
  }

  private static int port(URI u) {
    if (u.getPort() != -1) {
      return u.getPort();
    }
    return u.getScheme().toLowerCase(Locale.ROOT).equals("https") ? 443 : 80;
  }
}
