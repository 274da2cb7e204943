package io.jasynq.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;

/**
 * HTTP Basic authentication with one user name and password, realm {@code "jasynq"}. A request
 * without valid credentials gets a 401 with a {@code WWW-Authenticate} challenge and a JSON error.
 * Both the user name and the password are compared in constant time (as SHA-256 digests, so their
 * lengths do not leak either). Use it over HTTPS only: Basic credentials travel in clear text.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the password.
 *
 * @since 0.2
 */
public final class BasicAuthenticator implements DashboardAuthenticator {
  /** The realm of the challenge: {@value}. */
  public static final String REALM = "jasynq";

  private final String user;
  private final byte[] userDigest;
  private final byte[] passwordDigest;

  private BasicAuthenticator(String user, String password) {
    this.user = user;
    this.userDigest = sha256(user);
    this.passwordDigest = sha256(password);
  }

  /**
   * An authenticator that lets in {@code user} with {@code password}.
   *
   * @throws IllegalArgumentException if the user is blank or contains {@code ':'}, or the password
   *     is empty
   * @throws NullPointerException if either is null
   */
  public static BasicAuthenticator of(String user, String password) {
    Objects.requireNonNull(user, "user == null");
    Objects.requireNonNull(password, "password == null");
    if (user.isBlank() || user.indexOf(':') >= 0) {
      throw new IllegalArgumentException(
          "user must be non-blank and without ':', was \"" + user + "\"");
    }
    if (password.isEmpty()) {
      throw new IllegalArgumentException("password must not be empty");
    }
    return new BasicAuthenticator(user, password);
  }

  /**
   * Checks the {@code Authorization} header; writes a 401 challenge when it is missing or wrong.
   */
  @Override
  public boolean authenticate(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (matches(request.getHeader("Authorization"))) {
      return true;
    }
    response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
    Replies.writeError(
        response, 401, "authentication required (HTTP Basic, realm \"" + REALM + "\")");
    return false;
  }

  private boolean matches(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return false;
    }
    // Both comparisons always run, so the time does not say which one failed.
    boolean userOk = MessageDigest.isEqual(userDigest, sha256(decoded.substring(0, colon)));
    boolean passwordOk =
        MessageDigest.isEqual(passwordDigest, sha256(decoded.substring(colon + 1)));
    return userOk & passwordOk;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "BasicAuthenticator[user=" + user + ", realm=" + REALM + "]";
  }
}
