package io.jasynq.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Queue order per dequeue (wire-format §4.3). */
class QueueSelectorTest {
  private static Map<String, Integer> queues(Object... pairs) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], (Integer) pairs[i + 1]);
    }
    return m;
  }

  @Test
  void strictOrderIsByPriorityEveryTime() {
    QueueSelector s =
        new QueueSelector(queues("low", 1, "critical", 6, "default", 3), true, new Random(1));
    for (int i = 0; i < 10; i++) {
      assertThat(s.order()).containsExactly("critical", "default", "low");
    }
  }

  @Test
  void weightedFirstChoiceFollowsThePriorities() {
    QueueSelector s =
        new QueueSelector(queues("critical", 6, "default", 3, "low", 1), false, new Random(42));
    Map<String, Integer> first = new HashMap<>();
    int n = 100_000;
    for (int i = 0; i < n; i++) {
      List<String> order = s.order();
      assertThat(order).containsExactlyInAnyOrder("critical", "default", "low");
      first.merge(order.get(0), 1, Integer::sum);
    }
    assertThat(first.get("critical") / (double) n).isBetween(0.59, 0.61);
    assertThat(first.get("default") / (double) n).isBetween(0.29, 0.31);
    assertThat(first.get("low") / (double) n).isBetween(0.09, 0.11);
  }

  @Test
  void prioritiesAreReducedByTheirGcd() {
    QueueSelector big = new QueueSelector(queues("a", 600, "b", 200), false, new Random(7));
    Map<String, Integer> first = new HashMap<>();
    for (int i = 0; i < 40_000; i++) {
      first.merge(big.order().get(0), 1, Integer::sum);
    }
    assertThat(first.get("a") / 40_000.0).isBetween(0.74, 0.76);
  }
}
