package io.jasynq.internal.broker;

import java.util.List;

/**
 * What one {@link Broker#forward} call did in a queue.
 *
 * @param moved how many due tasks went to pending or into their group
 * @param isolated IDs removed from scheduled or retry without being forwarded: their task key is
 *     not a hash, or their task is in another state as well; their keys were left alone
 * @param dropped dangling IDs (no task key) removed from scheduled or retry, each with the reason
 * @param kept due IDs left in scheduled or retry because the key of their group has the wrong type
 * @param unusable for each source set ({@code scheduled}, {@code retry}) that could not be handled
 *     because one of the keys it needs has the wrong type, the reason; nothing was written for it
 */
public record Forwarded(
    int moved,
    List<Isolated> isolated,
    List<Isolated> dropped,
    List<Isolated> kept,
    List<String> unusable) {
  public Forwarded {
    isolated = List.copyOf(isolated);
    dropped = List.copyOf(dropped);
    kept = List.copyOf(kept);
    unusable = List.copyOf(unusable);
  }
}
