package io.jasynq.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Writes JSON responses and the headers every response carries. Stateless. */
final class Replies {
  static final String JSON_TYPE = "application/json; charset=utf-8";

  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none';"
          + " form-action 'self'";

  static final ObjectMapper JSON =
      new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private Replies() {}

  /** The headers every response carries, set before anything else happens. */
  static void securityHeaders(HttpServletResponse response) {
    response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("X-Frame-Options", "DENY");
  }

  /** Writes {@code body} as JSON with {@code status}; a null body is a 204 without content. */
  static void writeJson(HttpServletResponse response, int status, @Nullable Object body)
      throws IOException {
    response.setStatus(status);
    response.setHeader("Cache-Control", "no-store");
    if (body == null) {
      return;
    }
    byte[] bytes = JSON.writeValueAsBytes(body);
    response.setContentType(JSON_TYPE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }

  /** Writes {@code {"error": message}} with {@code status}. */
  static void writeError(HttpServletResponse response, int status, @Nullable String message)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    writeJson(response, status, body);
  }
}
