package io.jasynq.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jasynq.Inspector;
import io.jasynq.Page;
import io.jasynq.TaskState;
import io.jasynq.dashboard.Dashboard;
import io.jasynq.testkit.TestRedis;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.Nullable;

/**
 * {@code dashboard-1m}: the dashboard's servlet on an embedded Jetty, over a queue of N archived
 * and N pending tasks (default 1,000,000 each, {@code --dashboard-n}), measured over HTTP with the
 * JDK's {@link HttpClient}, one request at a time.
 *
 * <ol>
 *   <li><b>Baseline</b>: the same queue with {@value #BASELINE_N} tasks of each state; after a JIT
 *       warm-up, {@value #REQUESTS} timed GETs per endpoint (after {@value #WARMUP_REQUESTS}
 *       untimed ones): the archived tab's first, middle and last page ({@value #PAGE_SIZE} per
 *       page), the pending tab's middle and last page, {@code /api/queues} and {@code
 *       /api/queues/{q}}.
 *   <li><b>At N</b>: FLUSHALL, seed N + N (timed, with Redis's {@code used_memory}), then the same
 *       endpoints; the ratio to the baseline says what the queue's size costs. The archived pages
 *       are also read straight through {@link Inspector#listTasks}, the dashboard's own data
 *       source, so the HTTP and JSON share of a page is visible. Each page's first ID is checked.
 *   <li><b>Search</b>: a payload search for a string no task holds, over the N archived tasks, via
 *       the search-job API: time to the first progress report ({@code scanned > 0}), time to {@code
 *       done}, scan rate; then a second one cancelled with DELETE once a quarter is scanned: time
 *       from DELETE to status {@code cancelled}. Meanwhile another connection PINGs Redis every
 *       millisecond (compared with the same PINGs while idle), and the JVM's heap pools' peaks are
 *       read (sum of per-pool peaks: an upper bound; the JVM also holds the bench).
 * </ol>
 *
 * The headline {@code seconds} and {@code ops_per_sec} are the full scan's; {@code redis_calls} are
 * over the full scan too.
 */
final class DashboardScenario implements Scenario {
  static final String QUEUE = "bench-dash";
  static final String BIG = "/big";
  static final String SMALL = "/small";
  static final int BASELINE_N = 1000;
  static final int PAGE_SIZE = 50;
  static final int WARMUP_REQUESTS = 20;
  static final int REQUESTS = 50;
  private static final int JIT_WARMUP_ROUNDS = 60;
  private static final String NEEDLE = "no-task-holds-this-needle";
  private static final String CSRF_COOKIE = "jasynq_csrf";
  private static final String CSRF_HEADER = "X-CSRF-Token";
  private static final long PING_EVERY_NANOS = 1_000_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DATABASE = Pattern.compile("/(\\d+)$");

  @Override
  public String name() {
    return "dashboard-1m";
  }

  @Override
  public JsonLine run(BenchContext context) throws Exception {
    int n = context.options().dashboardN();
    int small = Math.min(BASELINE_N, n);
    long deadline = Workload.deadline(context.options().dashboardTimeout());
    String smallUri = nextDatabase(context.redisUri());
    try (Dashboard big = Dashboard.builder().uri(context.redisUri()).build();
        Dashboard baseline = Dashboard.builder().uri(smallUri).build();
        Inspector inspector = Inspector.connect(context.redisUri());
        Http http = Http.start(Map.of(BIG, big, SMALL, baseline))) {
      seed(smallUri, small);
      long memoryBefore = context.redis().usedMemory();
      RedisProbe.Snapshot redisBefore = context.redis().snapshot();
      long seedStart = System.nanoTime();
      seed(context.redisUri(), n);
      double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
      double seedRedisCpu = context.redis().snapshot().since(redisBefore).cpuSeconds();
      long memory = context.redis().usedMemory() - memoryBefore;
      context.log("  dashboard: seeded %d archived + %d pending in %.1f s", n, n, seedSeconds);

      List<Endpoint> smallEndpoints = endpoints(SMALL, small);
      List<Endpoint> bigEndpoints = endpoints(BIG, n);
      for (int i = 0; i < JIT_WARMUP_ROUNDS; i++) {
        for (int k = 0; k < bigEndpoints.size(); k++) {
          http.getOk(smallEndpoints.get(k).path());
          http.getOk(bigEndpoints.get(k).path());
        }
      }
      System.gc(); // the seeding's garbage is the bench's, not the dashboard's
      Map<String, Object> sizes = new LinkedHashMap<>();
      Map<String, long[]> smallTimes = new LinkedHashMap<>();
      Map<String, long[]> bigTimes = new LinkedHashMap<>();
      for (int k = 0; k < bigEndpoints.size(); k++) {
        Endpoint s = smallEndpoints.get(k);
        Endpoint b = bigEndpoints.get(k);
        checkFirstId(s, http.getOk(s.path()), small);
        byte[] body = http.getOk(b.path());
        checkFirstId(b, body, n);
        sizes.put(b.name(), (long) body.length);
        long[][] pair = timePair(() -> http.getOk(s.path()), () -> http.getOk(b.path()), deadline);
        smallTimes.put(s.name(), pair[0]);
        bigTimes.put(b.name(), pair[1]);
      }
      Map<String, long[]> direct = timeInspector(inspector, n, deadline);
      context.log("  dashboard: pages at %d and %d tasks measured", small, n);

      Search search = new Search(http, context, n, deadline);
      JsonLine line = search.full();
      search.cancelled(line);
      Map<String, Object> bigP50 = percentiles(bigTimes, 0.50);
      line.put("tasks_per_state", n)
          .put("baseline_tasks_per_state", small)
          .put("page_size", PAGE_SIZE)
          .put("requests", REQUESTS)
          .put("pages", pages(n))
          .put("baseline_pages", pages(small))
          .put("seed_seconds", seedSeconds)
          .put("seed_tasks_per_sec", 2.0 * n / seedSeconds)
          .put("seed_redis_cpu_s", seedRedisCpu)
          .put("redis_used_memory_mb", memory / 1048576.0)
          .put("redis_bytes_per_task", (double) memory / (2.0 * n))
          .put("http_p50_ms", bigP50)
          .put("http_p99_ms", percentiles(bigTimes, 0.99))
          .put("baseline_p50_ms", percentiles(smallTimes, 0.50))
          .put("baseline_p99_ms", percentiles(smallTimes, 0.99))
          .put("ratio_p50", ratios(bigP50, percentiles(smallTimes, 0.50)))
          .put("ratio_p99", ratios(percentiles(bigTimes, 0.99), percentiles(smallTimes, 0.99)))
          .put("inspector_p50_ms", percentiles(direct, 0.50))
          .put("http_over_inspector_p50", ratios(bigP50, percentiles(direct, 0.50)))
          .put("response_bytes", sizes)
          .put("timed_out", Workload.remaining(deadline) <= 0);
      return line;
    }
  }

  /**
   * {@code uri} with the next database number: where the baseline queue lives, so that both
   * dashboards can be measured side by side. {@code redis://h:p} gives {@code redis://h:p/1}.
   */
  static String nextDatabase(String uri) {
    int q = uri.indexOf('?');
    String head = q < 0 ? uri : uri.substring(0, q);
    String query = q < 0 ? "" : uri.substring(q);
    Matcher m = DATABASE.matcher(head);
    if (m.find()) {
      return m.replaceFirst("/" + (Integer.parseInt(m.group(1)) + 1)) + query;
    }
    return (head.endsWith("/") ? head : head + "/") + "1" + query;
  }

  private static void seed(String uri, int n) throws InterruptedException {
    try (DashboardSeeder seeder = DashboardSeeder.connect(uri)) {
      seeder.archived(QUEUE, n);
      seeder.pending(QUEUE, n);
    }
  }

  /** What one timed GET reads, and the ID its first task must have (null: not a task list). */
  record Endpoint(String name, String path, @Nullable String firstId) {}

  /** First, middle and last page number for {@code n} tasks. */
  static Map<String, Object> pages(int n) {
    int last = Math.max(1, (n + PAGE_SIZE - 1) / PAGE_SIZE);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("first", 1);
    m.put("middle", Math.max(1, last / 2));
    m.put("last", last);
    return m;
  }

  private static List<Endpoint> endpoints(String mount, int n) {
    Map<String, Object> p = pages(n);
    List<Endpoint> list = new ArrayList<>();
    for (String which : List.of("first", "middle", "last")) {
      list.add(page(mount, "archived", which, (Integer) Objects.requireNonNull(p.get(which))));
    }
    for (String which : List.of("middle", "last")) {
      list.add(page(mount, "pending", which, (Integer) Objects.requireNonNull(p.get(which))));
    }
    list.add(new Endpoint("config", mount + "/api/config", null)); // the floor: no Redis read
    list.add(new Endpoint("queues", mount + "/api/queues", null));
    list.add(new Endpoint("queue", mount + "/api/queues/" + QUEUE, null));
    return list;
  }

  private static Endpoint page(String mount, String state, String which, int page) {
    return new Endpoint(
        state + "_" + which,
        mount
            + "/api/queues/"
            + QUEUE
            + "/"
            + state
            + "_tasks?page="
            + page
            + "&page_size="
            + PAGE_SIZE,
        DashboardSeeder.id(QUEUE, state, (page - 1) * PAGE_SIZE));
  }

  /** Fails the scenario if a page is not the one asked for: the timing would be of nothing. */
  private static void checkFirstId(Endpoint e, byte[] body, int n) throws IOException {
    if (e.firstId() == null) {
      return;
    }
    JsonNode tasks = JSON.readTree(body).path("tasks");
    if (tasks.isEmpty() || !tasks.get(0).path("id").asText().equals(e.firstId())) {
      throw new IllegalStateException(
          e.path() + " at " + n + " tasks: first task should be " + e.firstId() + ", was " + tasks);
    }
  }

  private static Map<String, long[]> timeInspector(Inspector inspector, int n, long deadline) {
    Map<String, long[]> out = new LinkedHashMap<>();
    Map<String, Object> p = pages(n);
    for (String which : List.of("first", "middle", "last")) {
      Page page = Page.of((Integer) Objects.requireNonNull(p.get(which)), PAGE_SIZE);
      out.put(
          "archived_" + which,
          time(() -> inspector.listTasks(QUEUE, TaskState.ARCHIVED, page), deadline));
    }
    // Every task list carries the queue's snapshot ("stats"): this is its share.
    out.put("queue_info", time(() -> inspector.queueInfo(QUEUE), deadline));
    return out;
  }

  /**
   * {@value #WARMUP_REQUESTS} untimed calls of each, then {@value #REQUESTS} timed ones of each,
   * interleaved (a, b, b, a, a, b, ...) so that both see the same JIT and machine load; both sorted
   * (ns).
   */
  private static long[][] timePair(Supplier<?> a, Supplier<?> b, long deadline) {
    for (int i = 0; i < WARMUP_REQUESTS && Workload.remaining(deadline) > 0; i++) {
      Object unusedA = a.get(); // the call is what is timed
      Object unusedB = b.get();
    }
    long[][] nanos = new long[2][REQUESTS];
    int done = 0;
    for (; done < REQUESTS && Workload.remaining(deadline) > 0; done++) {
      for (int j = 0; j < 2; j++) {
        int which = (done + j) % 2;
        long t0 = System.nanoTime();
        Object unused = (which == 0 ? a : b).get();
        nanos[which][done] = System.nanoTime() - t0;
      }
    }
    for (int w = 0; w < 2; w++) {
      nanos[w] = Arrays.copyOf(nanos[w], done);
      Arrays.sort(nanos[w]);
    }
    return nanos;
  }

  /** {@value #WARMUP_REQUESTS} untimed calls, then {@value #REQUESTS} timed ones, sorted (ns). */
  private static long[] time(Supplier<?> call, long deadline) {
    for (int i = 0; i < WARMUP_REQUESTS && Workload.remaining(deadline) > 0; i++) {
      Object unused = call.get(); // the call is what is timed
    }
    long[] nanos = new long[REQUESTS];
    int done = 0;
    for (; done < REQUESTS && Workload.remaining(deadline) > 0; done++) {
      long t0 = System.nanoTime();
      Object unused = call.get();
      nanos[done] = System.nanoTime() - t0;
    }
    long[] sorted = Arrays.copyOf(nanos, done);
    Arrays.sort(sorted);
    return sorted;
  }

  private static Map<String, Object> percentiles(Map<String, long[]> timings, double p) {
    Map<String, Object> m = new LinkedHashMap<>();
    timings.forEach((k, v) -> m.put(k, LatencyScenario.percentileMillis(v, p)));
    return m;
  }

  private static Map<String, Object> ratios(Map<String, Object> a, Map<String, Object> b) {
    Map<String, Object> m = new LinkedHashMap<>();
    a.forEach(
        (k, v) -> {
          Object base = b.get(k);
          if (v instanceof Double x && base instanceof Double y && y > 0) {
            m.put(k, x / y);
          }
        });
    return m;
  }

  /** The search jobs: one full scan with no match, one cancelled mid-scan. */
  private static final class Search {
    private final Http http;
    private final BenchContext context;
    private final int n;
    private final long deadline;

    Search(Http http, BenchContext context, int n, long deadline) {
      this.http = http;
      this.context = context;
      this.n = n;
      this.deadline = deadline;
    }

    /** The full scan, with PINGs beside it and the heap's peak; starts the line. */
    JsonLine full() throws Exception {
      long[] idlePings;
      try (Pinger idle = Pinger.start(context.redisUri())) {
        LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
        idlePings = idle.stop();
      }
      resetHeapPeaks();
      Measurement m = Measurement.begin(context.redis());
      long[] scanPings;
      long firstProgress = -1;
      JsonNode view;
      long start;
      try (Pinger pinger = Pinger.start(context.redisUri())) {
        start = System.nanoTime();
        String id = start();
        while (true) {
          view = view(id);
          long now = System.nanoTime();
          if (firstProgress < 0 && view.path("scanned").asLong() > 0) {
            firstProgress = now - start;
            context.log("  dashboard: search reported progress after %.1f ms", firstProgress / 1e6);
          }
          if (!view.path("status").asText().equals("running")
              || Workload.remaining(deadline) <= 0) {
            break;
          }
          LockSupport.parkNanos(firstProgress < 0 ? 1_000_000 : 20_000_000);
        }
        scanPings = pinger.stop();
      }
      long scanned = view.path("scanned").asLong();
      JsonLine line = m.end("dashboard-1m", scanned);
      context.log(
          "  dashboard: full scan %s, %d tasks in %.1f s",
          view.path("status").asText(), scanned, line.get("seconds"));
      return line.put("search_status", view.path("status").asText())
          .put("search_matches", (long) view.path("matches").size())
          .put("search_total", view.path("total").asLong())
          .put("search_first_progress_ms", firstProgress < 0 ? null : firstProgress / 1e6)
          .put("jvm_heap_peak_mb", heapPeakMb())
          .put("jvm_heap_max_mb", Runtime.getRuntime().maxMemory() / 1048576.0)
          .put("ping_idle_p50_ms", LatencyScenario.percentileMillis(idlePings, 0.50))
          .put("ping_idle_p99_ms", LatencyScenario.percentileMillis(idlePings, 0.99))
          .put("ping_during_scan_n", (long) scanPings.length)
          .put("ping_during_scan_p50_ms", LatencyScenario.percentileMillis(scanPings, 0.50))
          .put("ping_during_scan_p99_ms", LatencyScenario.percentileMillis(scanPings, 0.99))
          .put(
              "ping_during_scan_max_ms",
              scanPings.length == 0 ? null : scanPings[scanPings.length - 1] / 1e6);
    }

    /** A second scan, cancelled once a quarter is scanned; adds its figures to {@code line}. */
    void cancelled(JsonLine line) throws IOException {
      String id = start();
      JsonNode view = view(id);
      while (view.path("status").asText().equals("running")
          && view.path("scanned").asLong() < n / 4
          && Workload.remaining(deadline) > 0) {
        LockSupport.parkNanos(1_000_000);
        view = view(id);
      }
      long scannedAtCancel = view.path("scanned").asLong();
      long t0 = System.nanoTime();
      http.delete(BIG + "/api/searches/" + id);
      while (view.path("status").asText().equals("running") && Workload.remaining(deadline) > 0) {
        view = view(id);
        if (view.path("status").asText().equals("running")) {
          LockSupport.parkNanos(200_000);
        }
      }
      long cancelNanos = System.nanoTime() - t0;
      String status = view.path("status").asText();
      line.put("cancel_status", status)
          .put("cancel_scanned_at_delete", scannedAtCancel)
          .put("cancel_scanned_at_end", view.path("scanned").asLong())
          .put("cancel_ms", status.equals("cancelled") ? cancelNanos / 1e6 : null);
      context.log("  dashboard: cancel -> %s in %.1f ms", status, cancelNanos / 1e6);
    }

    private String start() throws IOException {
      String body =
          "{\"state\":\"archived\",\"query\":\"" + NEEDLE + "\",\"in\":\"payload\",\"limit\":100}";
      byte[] reply = http.post(BIG + "/api/queues/" + QUEUE + "/searches", body, 202);
      return JSON.readTree(reply).path("id").asText();
    }

    private JsonNode view(String id) throws IOException {
      return JSON.readTree(http.getOk(BIG + "/api/searches/" + id));
    }
  }

  private static void resetHeapPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  private static double heapPeakMb() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum / 1048576.0;
  }

  /** PINGs Redis from its own connection every millisecond and keeps each round trip. */
  private static final class Pinger implements AutoCloseable {
    private final TestRedis redis;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Long> nanos = new ArrayList<>();
    private final Thread thread;

    private Pinger(TestRedis redis) {
      this.redis = redis;
      this.thread = new Thread(this::loop, "bench-dashboard-ping");
    }

    static Pinger start(String uri) {
      Pinger p = new Pinger(TestRedis.connect(uri));
      p.thread.start();
      return p;
    }

    private void loop() {
      while (!stop.get()) {
        long t0 = System.nanoTime();
        redis.commands().ping();
        long took = System.nanoTime() - t0;
        synchronized (nanos) {
          nanos.add(took);
        }
        LockSupport.parkNanos(PING_EVERY_NANOS);
      }
    }

    /** Stops pinging; the round trips, sorted (ns). */
    long[] stop() throws InterruptedException {
      stop.set(true);
      thread.join();
      synchronized (nanos) {
        return nanos.stream().mapToLong(Long::longValue).sorted().toArray();
      }
    }

    @Override
    public void close() throws InterruptedException {
      try {
        stop();
      } finally {
        redis.close();
      }
    }
  }

  /**
   * Dashboards mounted at {@code <mount>/*} on a Jetty on a free loopback port, and a client for
   * them that keeps cookies and sends the CSRF token of {@link #BIG}'s mount on changes.
   */
  private static final class Http implements AutoCloseable {
    private final Server jetty;
    private final String base;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient client;

    private Http(Server jetty, int port) {
      this.jetty = jetty;
      this.base = "http://127.0.0.1:" + port;
      this.client =
          HttpClient.newBuilder()
              .cookieHandler(cookies)
              .connectTimeout(Duration.ofSeconds(10))
              .build();
    }

    static Http start(Map<String, Dashboard> mounts) throws Exception {
      Server jetty = new Server();
      ServerConnector connector = new ServerConnector(jetty);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      jetty.addConnector(connector);
      ServletContextHandler context = new ServletContextHandler("/");
      mounts.forEach(
          (mount, d) -> context.addServlet(new ServletHolder(d.servlet()), mount + "/*"));
      jetty.setHandler(context);
      try {
        jetty.start();
      } catch (Exception e) {
        jetty.stop();
        throw e;
      }
      return new Http(jetty, connector.getLocalPort());
    }

    /** GETs {@code path}; its body. */
    byte[] getOk(String path) {
      return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), 200);
    }

    byte[] post(String path, String json, int status) {
      return send(
          HttpRequest.newBuilder(URI.create(base + path))
              .header(CSRF_HEADER, token())
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(json)),
          status);
    }

    void delete(String path) {
      send(
          HttpRequest.newBuilder(URI.create(base + path)).header(CSRF_HEADER, token()).DELETE(),
          204);
    }

    private String token() {
      for (int attempt = 0; attempt < 2; attempt++) {
        for (HttpCookie c : cookies.getCookieStore().getCookies()) {
          if (c.getName().equals(CSRF_COOKIE) && BIG.equals(c.getPath())) {
            return c.getValue();
          }
        }
        send(HttpRequest.newBuilder(URI.create(base + BIG + "/api/config")).GET(), 200);
      }
      throw new IllegalStateException("no " + CSRF_COOKIE + " cookie after a GET");
    }

    private byte[] send(HttpRequest.Builder request, int status) {
      HttpRequest r = request.timeout(Duration.ofSeconds(60)).build();
      HttpResponse<byte[]> reply;
      try {
        reply = client.send(r, HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        throw new IllegalStateException(r.method() + " " + r.uri() + " failed: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      if (reply.statusCode() != status) {
        throw new IllegalStateException(
            r.method()
                + " "
                + r.uri()
                + ": "
                + reply.statusCode()
                + " "
                + new String(reply.body(), StandardCharsets.UTF_8));
      }
      return reply.body();
    }

    @Override
    public void close() throws Exception {
      jetty.stop();
    }
  }
}
