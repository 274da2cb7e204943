package io.jasynq.micrometer;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Decides the {@code task.type} tag value of a task type, so that a million distinct types cannot
 * become a million time series. Every policy maps an empty type (a malformed record) to {@value
 * #UNKNOWN}; types it does not keep become {@value #OTHER}.
 *
 * <pre>{@code
 * TaskTypeTags.cap(100)                          // the first 100 types seen, then "other" (default)
 * TaskTypeTags.allow(Set.of("email:send", "pdf")) // only these
 * TaskTypeTags.none()                            // always "other"
 * }</pre>
 *
 * <p>Thread-safe. A {@link #cap} instance remembers the types it admitted: share one instance
 * between {@link JasynqMetrics} objects only if they should share the budget.
 *
 * @since 0.1
 */
public final class TaskTypeTags {
  /** The tag value of a type the policy does not keep: {@value}. */
  public static final String OTHER = "other";

  /** The tag value of an empty (unreadable) type: {@value}. */
  public static final String UNKNOWN = "unknown";

  /** How many distinct types {@link JasynqMetrics} keeps by default: {@value}. */
  public static final int DEFAULT_CAP = 100;

  private final UnaryOperator<String> policy;
  private final String description;

  private TaskTypeTags(UnaryOperator<String> policy, String description) {
    this.policy = policy;
    this.description = description;
  }

  /**
   * Keeps the first {@code max} distinct types seen, in the order they are seen; later types are
   * {@value #OTHER}.
   *
   * @param max how many types to keep; >= 0
   * @throws IllegalArgumentException if {@code max < 0}
   */
  public static TaskTypeTags cap(int max) {
    if (max < 0) {
      throw new IllegalArgumentException("max must be >= 0, was " + max);
    }
    return new TaskTypeTags(new Cap(max), "cap(" + max + ")");
  }

  /**
   * Keeps the types in {@code types}; every other type is {@value #OTHER}.
   *
   * @param types the types to keep (copied)
   * @throws NullPointerException if {@code types} is or contains null
   */
  public static TaskTypeTags allow(Set<String> types) {
    Objects.requireNonNull(types, "types == null");
    Set<String> kept = Set.copyOf(types);
    return new TaskTypeTags(type -> kept.contains(type) ? type : OTHER, "allow(" + kept + ")");
  }

  /** Keeps no type: every type is {@value #OTHER}. */
  public static TaskTypeTags none() {
    return new TaskTypeTags(type -> OTHER, "none()");
  }

  /**
   * The tag value of {@code type}: the type itself, {@value #OTHER}, or {@value #UNKNOWN} for a
   * null or empty type.
   */
  public String tagValue(String type) {
    if (type == null || type.isEmpty()) {
      return UNKNOWN;
    }
    return policy.apply(type);
  }

  @Override
  public String toString() {
    return "TaskTypeTags." + description;
  }

  /** Admits types until {@code max} are kept; once full, unkept types take no lock. */
  private static final class Cap implements UnaryOperator<String> {
    private final int max;
    private final Set<String> kept = ConcurrentHashMap.newKeySet(); // written under this
    private volatile boolean full; // written under this

    Cap(int max) {
      this.max = max;
      this.full = max == 0;
    }

    @Override
    public String apply(String type) {
      if (kept.contains(type)) {
        return type;
      }
      if (full) {
        return OTHER;
      }
      synchronized (this) {
        if (kept.contains(type)) {
          return type;
        }
        if (kept.size() < max) {
          kept.add(type);
          full = kept.size() >= max;
          return type;
        }
      }
      return OTHER;
    }
  }
}
