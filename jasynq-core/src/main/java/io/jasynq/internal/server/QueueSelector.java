package io.jasynq.internal.server;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The order in which queues are tried for one dequeue (wire-format §4.3). Strict: by priority,
 * highest first, every time. Weighted: each queue is tried first with probability priority / Σ, and
 * the rest follow as the fallback order. Thread-safe.
 */
public final class QueueSelector {
  private final List<String> strictOrder;
  private final List<String> tickets; // each queue (priority / gcd) times; null when strict
  private final Random random;

  /** For {@code queues} (name → priority ≥ 1, in registration order). */
  public QueueSelector(Map<String, Integer> queues, boolean strict, Random random) {
    this.random = random;
    List<Map.Entry<String, Integer>> entries = new ArrayList<>(queues.entrySet());
    entries.sort((a, b) -> Integer.compare(b.getValue(), a.getValue())); // stable: ties keep order
    this.strictOrder = entries.stream().map(Map.Entry::getKey).toList();
    if (strict || queues.size() == 1) {
      this.tickets = null;
    } else {
      int gcd =
          queues.values().stream()
              .map(BigInteger::valueOf)
              .reduce(BigInteger::gcd)
              .orElseThrow()
              .intValue();
      List<String> t = new ArrayList<>();
      queues.forEach(
          (q, p) -> {
            for (int i = 0; i < p / gcd; i++) {
              t.add(q);
            }
          });
      this.tickets = List.copyOf(t);
    }
  }

  /** The queues in the order to try them now. */
  public List<String> order() {
    if (tickets == null) {
      return strictOrder;
    }
    List<String> shuffled = new ArrayList<>(tickets);
    synchronized (random) {
      Collections.shuffle(shuffled, random);
    }
    return List.copyOf(new LinkedHashSet<>(shuffled));
  }

  /** Every queue, highest priority first. */
  public List<String> queues() {
    return strictOrder;
  }
}
