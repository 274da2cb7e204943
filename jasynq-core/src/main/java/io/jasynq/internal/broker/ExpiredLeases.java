package io.jasynq.internal.broker;

import java.util.List;

/**
 * What one {@link Broker#listLeaseExpired} call found in a queue.
 *
 * @param leased the active tasks whose lease ran out, oldest lease first
 * @param isolated IDs removed from lease (and active) without being listed: their task key is not a
 *     hash, or their task is in another state; their keys were left alone
 */
public record ExpiredLeases(List<Leased> leased, List<Isolated> isolated) {
  public ExpiredLeases {
    leased = List.copyOf(leased);
    isolated = List.copyOf(isolated);
  }
}
