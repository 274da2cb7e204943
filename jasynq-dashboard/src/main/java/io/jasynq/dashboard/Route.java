package io.jasynq.dashboard;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One API route: a verb, a path template such as {@code /queues/{qname}/{state}_tasks} (each {@code
 * {name}} matches one path segment, or the part of it before the literal that follows), whether it
 * changes Redis (and so is refused in read-only mode), and its handler. Immutable.
 */
record Route(String method, String template, Pattern pattern, boolean mutates, Handler handler) {
  /** A body with a status other than 200. */
  record Reply(int status, Object body) {}

  /** Handles one matched call; returns the JSON body, a {@link Reply}, or null for a 204. */
  @FunctionalInterface
  interface Handler {
    @Nullable Object handle(Call call);
  }

  static Route of(String method, String template, boolean mutates, Handler handler) {
    StringBuilder regex = new StringBuilder("^");
    Matcher m = Pattern.compile("\\{(\\w+)}").matcher(template);
    int last = 0;
    while (m.find()) {
      regex.append(Pattern.quote(template.substring(last, m.start())));
      regex.append("(?<").append(m.group(1).replace("_", "")).append(">[^/]+?)");
      last = m.end();
    }
    regex.append(Pattern.quote(template.substring(last))).append('$');
    return new Route(method, template, Pattern.compile(regex.toString()), mutates, handler);
  }

  /** A matcher of {@code path} that {@link Matcher#matches() matches}, or null. */
  @Nullable Matcher match(String path) {
    Matcher m = pattern.matcher(path);
    return m.matches() ? m : null;
  }
}
