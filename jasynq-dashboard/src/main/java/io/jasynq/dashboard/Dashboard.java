package io.jasynq.dashboard;

import io.jasynq.Inspector;
import io.jasynq.redis.RedisConnector;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Collection;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The jasynq web dashboard: asynqmon's JSON API and page, as one {@link HttpServlet} to mount in
 * any Servlet 6 container (Jetty, Tomcat, Spring MVC) at any path.
 *
 * <pre>{@code
 * Dashboard dashboard = Dashboard.builder()
 *     .uri("redis://localhost:6379")
 *     .readOnlyQueues(List.of("payments"))
 *     .authenticator(BasicAuthenticator.of("admin", System.getenv("DASHBOARD_PASSWORD")))
 *     .build();
 * ServletContextHandler context = new ServletContextHandler();
 * context.addServlet(new ServletHolder(dashboard.servlet()), "/jobs/*");
 * // ... and on shutdown: dashboard.close();
 * }</pre>
 *
 * <p>The API is under {@code <mount>/api} (see {@code API.md} in the module); every other path is a
 * file of the page. Mutations need the CSRF token (see {@code API.md}); read-only mode refuses them
 * globally or per queue. Every response carries a strict Content-Security-Policy, {@code nosniff},
 * {@code no-referrer} and {@code DENY} framing. No password or Redis credential ever appears in a
 * response.
 *
 * <p><b>Ownership.</b> With {@link Builder#uri} the dashboard opens its own Redis connection and
 * {@link #close()} closes it; with {@link Builder#connector} it borrows the caller's connector and
 * never closes it.
 *
 * <p><b>Lifecycle.</b> {@link #close()} cancels running searches, waits (bounded) for their threads
 * to end, closes what the dashboard owns, and makes the servlet answer 503. It is idempotent,
 * thread-safe and never throws; {@link #toString()} works after it.
 *
 * <p>Thread-safe.
 *
 * @since 0.2
 */
public final class Dashboard implements AutoCloseable {
  /** The classpath folder of the page's files. */
  static final String UI_ROOT = "io/jasynq/dashboard/ui/";

  private static final Pattern INSPECTOR = Pattern.compile("^Inspector\\[(.*), [a-z]+\\]$");
  private static final Pattern URI =
      Pattern.compile(
          "(?<scheme>[a-z-]+)://(?<hosts>[^/?\\s]+)(?:/\\d+)?(?:\\?(?:.*&)?master=(?<master>[^&\\s]+))?");

  // Immutable after construction.
  private final Inspector inspector;
  private final ScanJobs jobs;
  private final DashboardServlet servlet;
  private final boolean readOnly;
  private final Set<String> readOnlyQueues;

  // Shared.
  private final AtomicBoolean closed = new AtomicBoolean();

  private Dashboard(Builder b) {
    Inspector.Builder ib = Inspector.builder().clock(b.clock);
    this.inspector =
        b.uri != null
            ? ib.uri(b.uri).build()
            : ib.connector(Objects.requireNonNull(b.connector)).build();
    this.readOnly = b.readOnly;
    this.readOnlyQueues = Set.copyOf(b.readOnlyQueues);
    this.jobs = new ScanJobs(inspector, b.clock, b.beforeScanPage);
    Api api =
        new Api(inspector, b.clock, readOnly, readOnlyQueues, version(), address(inspector), jobs);
    this.servlet =
        new DashboardServlet(
            api,
            new StaticFiles(b.uiRoot, Dashboard.class.getClassLoader()),
            b.authenticator,
            closed::get);
  }

  /** A builder. Give exactly one of {@link Builder#uri} and {@link Builder#connector}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The dashboard's servlet, the same instance on every call. Mount it with a path mapping such as
   * {@code /jobs/*} (the page is then at {@code /jobs/}, the API at {@code /jobs/api/...}), or as
   * {@code /*} or {@code /}. After {@link #close()} it answers 503.
   */
  public HttpServlet servlet() {
    return servlet;
  }

  /** Whether the whole dashboard refuses changes. */
  public boolean isReadOnly() {
    return readOnly;
  }

  /** The queues whose changes are refused; unmodifiable. */
  public Set<String> readOnlyQueues() {
    return readOnlyQueues;
  }

  /** Whether {@link #close()} has been called. */
  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Cancels running searches and waits for them, then closes the Redis connection if the dashboard
   * owns it. Idempotent, thread-safe, never throws.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        jobs.close();
      } finally {
        inspector.close();
      }
    }
  }

  @Override
  public String toString() {
    return "Dashboard["
        + address(inspector)
        + (readOnly ? ", read-only" : "")
        + (closed.get() ? ", closed]" : "]");
  }

  private static String address(Inspector inspector) {
    return address(inspector.toString());
  }

  /**
   * Where the dashboard reads Redis, from the Inspector's password-free {@code toString()}, without
   * scheme, user name or database: {@code host:port}; on a cluster the seeds {@code h1:p1,h2:p2};
   * through Sentinel {@code mymaster via sentinels h1:p1,h2:p2}; a borrowed connection's own words
   * when it names no URI.
   */
  static String address(String inspector) {
    Matcher m = INSPECTOR.matcher(inspector);
    if (!m.matches()) {
      return "redis";
    }
    String description = m.group(1);
    Matcher uri = URI.matcher(description);
    if (!uri.find()) {
      return description;
    }
    String hosts = uri.group("hosts").replaceAll("(?:^|(?<=,))[^,@]*@", "");
    String master = uri.group("master");
    return uri.group("scheme").endsWith("-sentinel") && master != null
        ? master + " via sentinels " + hosts
        : hosts;
  }

  private static String version() {
    try (InputStream in = Dashboard.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", "unknown");
      }
    } catch (IOException e) {
      // Fall through.
    }
    return "unknown";
  }

  /** Builds a {@link Dashboard}. Not thread-safe; build once. */
  public static final class Builder {
    private @Nullable String uri;
    private @Nullable RedisConnector connector;
    private boolean readOnly;
    private Set<String> readOnlyQueues = Set.of();
    private DashboardAuthenticator authenticator = DashboardAuthenticator.ALLOW_ALL;
    private Clock clock = Clock.systemUTC();
    private String uiRoot = UI_ROOT;
    private IntConsumer beforeScanPage = n -> {};

    private Builder() {}

    /**
     * Connects to this Redis URI (the URIs {@link RedisConnector} accepts); owned, closed by {@link
     * Dashboard#close()}.
     */
    public Builder uri(String uri) {
      this.uri = Objects.requireNonNull(uri, "uri == null");
      return this;
    }

    /** Uses the caller's connector, borrowed: the dashboard never closes it. */
    public Builder connector(RedisConnector connector) {
      this.connector = Objects.requireNonNull(connector, "connector == null");
      return this;
    }

    /** Whether every change is refused (403); default false. */
    public Builder readOnly(boolean readOnly) {
      this.readOnly = readOnly;
      return this;
    }

    /**
     * Queues whose changes are refused (403), the others staying writable; default none.
     *
     * @throws IllegalArgumentException if a name is blank
     */
    public Builder readOnlyQueues(Collection<String> queues) {
      Objects.requireNonNull(queues, "queues == null");
      Set<String> copy = new TreeSet<>();
      for (String q : queues) {
        if (q == null || q.isBlank()) {
          throw new IllegalArgumentException(
              "readOnlyQueues must hold non-blank queue names, was " + queues);
        }
        copy.add(q);
      }
      this.readOnlyQueues = copy;
      return this;
    }

    /**
     * Who may use the dashboard; called before every request. Default: everyone (protect the mount
     * path some other way, or use {@link BasicAuthenticator}).
     */
    public Builder authenticator(DashboardAuthenticator authenticator) {
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator == null");
      return this;
    }

    /** The clock for "now"; for tests. */
    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** The classpath folder of the page's files; for tests. */
    Builder uiRoot(String uiRoot) {
      this.uiRoot = uiRoot;
      return this;
    }

    /** Called before each page a search reads, with its number; a seam for tests. */
    Builder beforeScanPage(IntConsumer hook) {
      this.beforeScanPage = hook;
      return this;
    }

    /**
     * Connects and builds the dashboard.
     *
     * @throws IllegalArgumentException if neither or both of uri and connector were given, or the
     *     URI is invalid
     * @throws io.jasynq.JasynqException if Redis cannot be reached
     */
    public Dashboard build() {
      if ((uri == null) == (connector == null)) {
        throw new IllegalArgumentException(
            "exactly one of uri and connector must be given, was "
                + (uri == null ? "neither" : "both"));
      }
      return new Dashboard(this);
    }
  }
}
