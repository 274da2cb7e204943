package io.jasynq.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The cycle finder behind {@link PackageEdgesTest}, on graphs whose cycles are known. */
class CyclesTest {
  @Test
  void findsEachCycleOnceAndIgnoresChainsAndSelfContainedNodes() {
    Map<String, Set<String>> edges =
        Map.of(
            "a.Client", Set.of("b.Runtime"),
            "b.Runtime", Set.of("c.Store", "a.Value"),
            "c.Store", Set.of("b.Runtime"),
            "a.Value", Set.of(),
            "d.One", Set.of("d.Two"),
            "d.Two", Set.of("d.Three"),
            "d.Three", Set.of("d.One"));

    assertThat(Cycles.of(edges))
        .map(Set::copyOf)
        .containsExactlyInAnyOrder(
            Set.of("b.Runtime", "c.Store"), Set.of("d.One", "d.Two", "d.Three"));
  }

  @Test
  void aGraphWithoutCyclesHasNone() {
    assertThat(Cycles.of(Map.of("a.A", Set.of("b.B"), "b.B", Set.of("c.C"), "c.C", Set.of())))
        .isEmpty();
  }
}
