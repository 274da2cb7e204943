package io.jasynq.dashboard;

import io.jasynq.TaskState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The API routes of the background scans: {@code POST /queues/{qname}/searches} and {@code
 * .../type_breakdowns} start one ({@link ScanJobs}), {@code GET} and {@code DELETE} of its ID read
 * and cancel it. Stateless.
 */
final class JobRoutes {
  private JobRoutes() {}

  /** The routes that start, show and cancel searches and type breakdowns run by {@code jobs}. */
  static List<Route> of(ScanJobs jobs) {
    List<Route> routes = new ArrayList<>();
    // Not mutations of Redis: allowed in read-only mode, but POSTs, so CSRF applies.
    routes.add(
        Route.of(
            "POST",
            "/queues/{qname}/searches",
            false,
            c ->
                accepted(
                    jobs.startSearch(c.path("qname"), jobState(c), query(c), in(c), limit(c)))));
    routes.add(
        Route.of(
            "POST",
            "/queues/{qname}/type_breakdowns",
            false,
            c -> accepted(jobs.startBreakdown(c.path("qname"), jobState(c)))));
    for (ScanJobs.Kind kind : ScanJobs.Kind.values()) {
      routes.add(
          Route.of("GET", "/" + kind.path() + "/{id}", false, c -> jobs.view(kind, c.path("id"))));
      routes.add(
          Route.of(
              "DELETE",
              "/" + kind.path() + "/{id}",
              false,
              c -> {
                jobs.cancel(kind, c.path("id"));
                return null;
              }));
    }
    return routes;
  }

  private static Route.Reply accepted(String id) {
    return new Route.Reply(202, Map.of("id", id));
  }

  private static TaskState jobState(Call c) {
    String raw = c.bodyText("state", null);
    for (TaskState s : Api.LISTABLE) {
      if (s.wireName().equals(raw)) {
        return s;
      }
    }
    throw ApiError.badRequest(
        "state must be one of "
            + Api.LISTABLE.stream().map(TaskState::wireName).toList()
            + ", was "
            + (raw == null ? "missing" : "\"" + raw + "\""));
  }

  private static String query(Call c) {
    String q = c.bodyText("query", null);
    if (q == null || q.isEmpty() || q.length() > 1000) {
      throw ApiError.badRequest(
          "query must be 1..1000 characters, was " + (q == null ? "missing" : q.length()));
    }
    return q;
  }

  private static ScanJobs.Field in(Call c) {
    String raw = c.bodyText("in", "any");
    for (ScanJobs.Field f : ScanJobs.Field.values()) {
      if (f.wireName().equals(raw)) {
        return f;
      }
    }
    throw ApiError.badRequest("in must be one of type, payload, any; was \"" + raw + "\"");
  }

  private static int limit(Call c) {
    return c.bodyInt("limit", ScanJobs.DEFAULT_LIMIT, 1, ScanJobs.MAX_LIMIT);
  }
}
