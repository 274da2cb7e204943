package io.jasynq.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Every scenario, by name, in the default run order. */
final class Scenarios {
  private static final Map<String, Scenario> ALL = new LinkedHashMap<>();

  /** Run only when named in --scenarios: dashboard-1m seeds 2,000,000 tasks (about 1.4 GB). */
  private static final java.util.Set<String> ONLY_WHEN_NAMED = java.util.Set.of("dashboard-1m");

  static {
    add(EnqueueScenario.inFlight(100));
    add(EnqueueScenario.batch(1000));
    add(new ProcessScenario(1));
    add(new ProcessScenario(10));
    add(new ProcessScenario(100));
    add(new ProcessScenario(100, Observability.Mode.METRICS));
    add(new ProcessScenario(100, Observability.Mode.TRACING));
    add(new ProcessScenario(100, Observability.Mode.BOTH));
    add(new ProcessScenario(100, Observability.Mode.NONE, 1000));
    add(new ProcessScenario(100, Observability.Mode.NONE, 50));
    add(new LatencyScenario());
    add(new LatencyScenario(true));
    add(new HeapScenario(100));
    add(new DashboardScenario());
  }

  private Scenarios() {}

  private static void add(Scenario s) {
    ALL.put(s.name(), s);
  }

  /** Every scenario's name. */
  static List<String> names() {
    return List.copyOf(ALL.keySet());
  }

  /** The scenarios run when --scenarios is not given: all but those run only when named. */
  static List<String> defaults() {
    return ALL.keySet().stream().filter(n -> !ONLY_WHEN_NAMED.contains(n)).toList();
  }

  /** The scenario called {@code name}; the name was validated by {@link BenchOptions}. */
  static @Nullable Scenario named(String name) {
    return ALL.get(name);
  }
}
