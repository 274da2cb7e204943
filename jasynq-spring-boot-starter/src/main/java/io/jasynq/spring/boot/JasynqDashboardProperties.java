package io.jasynq.spring.boot;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code jasynq.dashboard.*} settings of the web dashboard ({@link
 * JasynqDashboardAutoConfiguration}). Bound once at start; not thread-safe while being bound.
 *
 * @since 0.2
 */
@ConfigurationProperties("jasynq.dashboard")
public class JasynqDashboardProperties {
  /** Default mount path: {@value}. */
  public static final String DEFAULT_PATH = "/jasynq";

  /**
   * Whether to mount the web dashboard (needs jasynq-dashboard on the class path and a servlet web
   * application). Off unless set: an admin UI is opted in.
   */
  private boolean enabled;

  /**
   * Where the dashboard is mounted, e.g. /jasynq: the page is at /jasynq/ and the JSON API under
   * /jasynq/api. Starts with '/', ends without one (unless it is '/'), holds no '*'.
   */
  private String path = DEFAULT_PATH;

  /** Whether the dashboard refuses every change (pause, delete, run, archive, cancel) with 403. */
  private boolean readOnly;

  /** Queues whose changes the dashboard refuses with 403, the other queues staying writable. */
  private List<String> readOnlyQueues = new ArrayList<>();

  /**
   * Whether the dashboard's path is exempted from Spring Security's CSRF protection, when the
   * application has Spring Security: the dashboard checks its own CSRF token (the jasynq_csrf
   * cookie echoed in the X-CSRF-Token header, and the Origin), which Spring Security's filter does
   * not know. Authentication and authorization still apply to the path.
   */
  private boolean springSecurityCsrfExemption = true;

  /** Creates the settings with their defaults. */
  public JasynqDashboardProperties() {}

  /** Whether the dashboard is mounted; default false. */
  public boolean isEnabled() {
    return enabled;
  }

  /** Sets whether the dashboard is mounted. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** The mount path; default {@link #DEFAULT_PATH}. */
  public String getPath() {
    return path;
  }

  /** Sets the mount path; checked when the dashboard is mounted. */
  public void setPath(String path) {
    this.path = path;
  }

  /** Whether every change is refused; default false. */
  public boolean isReadOnly() {
    return readOnly;
  }

  /** Sets whether every change is refused. */
  public void setReadOnly(boolean readOnly) {
    this.readOnly = readOnly;
  }

  /** The queues whose changes are refused; default none. */
  public List<String> getReadOnlyQueues() {
    return readOnlyQueues;
  }

  /** Sets the queues whose changes are refused. */
  public void setReadOnlyQueues(List<String> readOnlyQueues) {
    this.readOnlyQueues = readOnlyQueues;
  }

  /** Whether the path is exempted from Spring Security's CSRF filter; default true. */
  public boolean isSpringSecurityCsrfExemption() {
    return springSecurityCsrfExemption;
  }

  /** Sets whether the path is exempted from Spring Security's CSRF filter. */
  public void setSpringSecurityCsrfExemption(boolean springSecurityCsrfExemption) {
    this.springSecurityCsrfExemption = springSecurityCsrfExemption;
  }
}
