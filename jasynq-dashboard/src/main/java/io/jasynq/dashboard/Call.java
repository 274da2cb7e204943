package io.jasynq.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.jasynq.Page;
import io.jasynq.RateLimit;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import org.jspecify.annotations.Nullable;

/**
 * One API request matched to a route: its path variables, validated query parameters and JSON body.
 * Bad input is an {@link ApiError} 400 naming the parameter, the value and the rule. Confined to
 * the request's thread.
 */
final class Call {
  /** asynqmon's default page size. */
  static final int DEFAULT_PAGE_SIZE = 20;

  static final int MAX_PAGE_SIZE = 1000;

  /** The most task IDs a batch action takes. */
  static final int MAX_BATCH = 1000;

  /** The largest JSON body read: 1 MiB. */
  static final int MAX_BODY = 1 << 20;

  private final HttpServletRequest request;
  private final Matcher path;
  private final Route route;
  private @Nullable JsonNode body;

  Call(HttpServletRequest request, Matcher path, Route route) {
    this.request = request;
    this.path = path;
    this.route = route;
  }

  /** Runs the route's handler: the JSON body to send, or null for a 204. */
  @Nullable Object run() {
    return route.handler().handle(this);
  }

  HttpServletRequest request() {
    return request;
  }

  /** A path variable, e.g. {@code qname}; never empty (the route pattern needs a character). */
  String path(String name) {
    return path.group(name);
  }

  /** An integer query parameter within {@code min..max}, or {@code dflt} when absent. */
  int intParam(String name, int dflt, int min, int max) {
    String raw = request.getParameter(name);
    if (raw == null || raw.isEmpty()) {
      return dflt;
    }
    int value;
    try {
      value = Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(
          name + " must be an integer " + min + ".." + max + ", was \"" + raw + "\"");
    }
    if (value < min || value > max) {
      throw ApiError.badRequest(name + " must be " + min + ".." + max + ", was " + value);
    }
    return value;
  }

  /** A boolean query parameter: {@code true} or {@code false}; {@code dflt} when absent. */
  boolean boolParam(String name, boolean dflt) {
    String raw = request.getParameter(name);
    if (raw == null || raw.isEmpty()) {
      return dflt;
    }
    if (raw.equals("true") || raw.equals("false")) {
      return Boolean.parseBoolean(raw);
    }
    throw ApiError.badRequest(name + " must be true or false, was \"" + raw + "\"");
  }

  /** {@code page} (1-based, no upper bound) and {@code page_size} (1..1000, default 20). */
  Page page() {
    int size = intParam("page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
    int number = intParam("page", 1, 1, Integer.MAX_VALUE);
    return Page.of(number, size);
  }

  /** The JSON body; an empty body reads as {@code {}}. */
  JsonNode body() {
    if (body != null) {
      return body;
    }
    try (InputStream in = request.getInputStream()) {
      byte[] bytes = in.readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        throw ApiError.badRequest("body must be at most " + MAX_BODY + " bytes");
      }
      body = bytes.length == 0 ? Replies.JSON.createObjectNode() : Replies.JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest("body must be a JSON object: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiError.badRequest("cannot read the body: " + e.getMessage());
    }
    if (body == null || !body.isObject()) {
      throw ApiError.badRequest("body must be a JSON object");
    }
    return body;
  }

  /** A string field of the body; {@code dflt} when absent. */
  @Nullable String bodyText(String name, @Nullable String dflt) {
    JsonNode n = body().get(name);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isTextual()) {
      throw ApiError.badRequest(name + " must be a string, was " + n);
    }
    return n.asText();
  }

  /** An integer field of the body within {@code min..max}; {@code dflt} when absent. */
  int bodyInt(String name, int dflt, int min, int max) {
    JsonNode n = body().get(name);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isInt() || n.asInt() < min || n.asInt() > max) {
      throw ApiError.badRequest(name + " must be an integer " + min + ".." + max + ", was " + n);
    }
    return n.asInt();
  }

  /**
   * A required integer field of the body within {@code min..max}, or JSON {@code null} (returned as
   * null); a missing field is refused like a bad one.
   */
  @Nullable Integer bodyIntOrNull(String name, int min, int max) {
    JsonNode n = body().get(name);
    String rule = name + " must be an integer " + min + ".." + max + " or null, was ";
    if (n == null) {
      throw ApiError.badRequest(rule + "missing");
    }
    if (n.isNull()) {
      return null;
    }
    if (!n.isInt() || n.asInt() < min || n.asInt() > max) {
      throw ApiError.badRequest(rule + abbreviate(n));
    }
    return n.asInt();
  }

  /**
   * What {@code POST /queues/{qname}:limit} changes: each limit the body names, to its value (null
   * clears it); a limit the body leaves out stays as it is.
   */
  record LimitChange(
      boolean setsConcurrency,
      @Nullable Integer concurrency,
      boolean setsRate,
      @Nullable RateLimit rate) {}

  /** The fields of the limit body. */
  private static final List<String> LIMIT_FIELDS = List.of("concurrency", "rate");

  /** The fields of the limit body's {@code rate}. */
  private static final List<String> RATE_FIELDS = List.of("tasks", "per_ms", "burst");

  /**
   * The body of {@code POST /queues/{qname}:limit}, all checked: {@code concurrency} (an integer
   * 1..2147483647, or null to clear), {@code rate} ({@code {"tasks": N, "per_ms": M, "burst": B}},
   * each an integer 1..2147483647, burst absent or null for N; or null to clear), or both. A body
   * with neither, or with another field, is refused.
   */
  LimitChange limitChange() {
    JsonNode b = body();
    boolean concurrency = b.has("concurrency");
    boolean rate = b.has("rate");
    if (!concurrency && !rate) {
      throw ApiError.badRequest(
          "body must have concurrency (an integer 1..2147483647 or null), rate ({\"tasks\": N,"
              + " \"per_ms\": M, \"burst\": B} or null) or both, was "
              + abbreviate(b));
    }
    onlyFields(b, "body", LIMIT_FIELDS);
    return new LimitChange(
        concurrency,
        concurrency ? bodyIntOrNull("concurrency", 1, Integer.MAX_VALUE) : null,
        rate,
        rate ? bodyRateOrNull("rate") : null);
  }

  /**
   * A rate limit field of the body, {@code {"tasks": N, "per_ms": M, "burst": B}} (each an integer
   * 1..2147483647; burst absent or null for N), or JSON {@code null} (returned as null).
   */
  private @Nullable RateLimit bodyRateOrNull(String name) {
    JsonNode n = body().get(name);
    if (n == null || !(n.isNull() || n.isObject())) {
      throw ApiError.badRequest(
          name
              + " must be an object {\"tasks\": N, \"per_ms\": M, \"burst\": B} or null, was "
              + (n == null ? "missing" : abbreviate(n)));
    }
    if (n.isNull()) {
      return null;
    }
    onlyFields(n, name, RATE_FIELDS);
    int tasks = positive(n, name + ".tasks", "tasks", false);
    int perMillis = positive(n, name + ".per_ms", "per_ms", false);
    int burst = positive(n, name + ".burst", "burst", true);
    return new RateLimit(tasks, Duration.ofMillis(perMillis), burst == 0 ? tasks : burst);
  }

  /**
   * {@code object}'s integer field {@code field} (named {@code label} in the message), 1..{@link
   * Integer#MAX_VALUE}; when {@code optional}, absent or null reads as 0.
   */
  private static int positive(JsonNode object, String label, String field, boolean optional) {
    JsonNode v = object.get(field);
    if (optional && (v == null || v.isNull())) {
      return 0;
    }
    if (v == null || !v.isInt() || v.asInt() < 1) {
      throw ApiError.badRequest(
          label
              + " must be an integer 1.."
              + Integer.MAX_VALUE
              + (optional ? " or absent" : "")
              + ", was "
              + (v == null ? "missing" : abbreviate(v)));
    }
    return v.asInt();
  }

  /** Refuses a field of {@code object} (named {@code label}) that is not one of {@code known}. */
  private static void onlyFields(JsonNode object, String label, List<String> known) {
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String f = names.next();
      if (!known.contains(f)) {
        throw ApiError.badRequest(
            label
                + " has an unknown field "
                + abbreviate(TextNode.valueOf(f))
                + "; its fields are "
                + String.join(", ", known));
      }
    }
  }

  /** The body's {@code task_ids}: 1..1000 non-blank strings. */
  List<String> taskIds() {
    JsonNode ids = body().get("task_ids");
    if (ids == null || !ids.isArray() || ids.isEmpty() || ids.size() > MAX_BATCH) {
      throw ApiError.badRequest(
          "task_ids must be an array of 1.." + MAX_BATCH + " task IDs, was " + abbreviate(ids));
    }
    List<String> out = new ArrayList<>(ids.size());
    for (JsonNode id : ids) {
      if (!id.isTextual() || id.asText().isBlank()) {
        throw ApiError.badRequest("task_ids must hold non-blank strings, was " + abbreviate(id));
      }
      out.add(id.asText());
    }
    return out;
  }

  private static String abbreviate(JsonNode n) {
    String s = String.valueOf(n);
    return s.length() > 100 ? s.substring(0, 100) + "..." : s;
  }
}
