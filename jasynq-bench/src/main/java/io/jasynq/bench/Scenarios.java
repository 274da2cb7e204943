package io.jasynq.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every scenario, by name, in the default run order. */
final class Scenarios {
  private static final Map<String, Scenario> ALL = new LinkedHashMap<>();

  static {
    add(new EnqueueInFlightScenario(100));
    add(new EnqueueBatchScenario(1000));
    add(new ProcessScenario(1));
    add(new ProcessScenario(10));
    add(new ProcessScenario(100));
    add(new ProcessScenario(100, Observability.Mode.METRICS));
    add(new ProcessScenario(100, Observability.Mode.TRACING));
    add(new ProcessScenario(100, Observability.Mode.BOTH));
    add(new LatencyScenario());
    add(new HeapScenario(100));
    add(new DashboardScenario());
  }

  private Scenarios() {}

  private static void add(Scenario s) {
    ALL.put(s.name(), s);
  }

  static List<String> names() {
    return List.copyOf(ALL.keySet());
  }

  /** The scenario called {@code name}; the name was validated by {@link BenchOptions}. */
  static Scenario named(String name) {
    return ALL.get(name);
  }
}
