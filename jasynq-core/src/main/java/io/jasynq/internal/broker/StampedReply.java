package io.jasynq.internal.broker;

import io.jasynq.internal.connection.RedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import java.nio.ByteBuffer;

/**
 * An enqueue script's integer reply together with the socket it came over, for {@link
 * DurableEnqueuer}: the socket is noted as Lettuce reads the reply (on the event loop, before any
 * dependent of the command runs), so a WAIT sent after it can be compared with it.
 */
final class StampedReply extends CommandOutput<byte[], byte[], StampedReply.Written> {
  private final RedisConnection via;
  private Long value;

  /** A reply read over {@code via}. */
  StampedReply(RedisConnection via) {
    super(ByteArrayCodec.INSTANCE, null);
    this.via = via;
  }

  @Override
  public void set(long integer) {
    value = integer;
  }

  @Override
  public void set(ByteBuffer bytes) {
    value = null; // a nil reply, as IntegerOutput reads it
  }

  @Override
  public Written get() {
    return new Written(value, via.stamp());
  }

  /**
   * What an enqueue script replied and over which socket.
   *
   * @param reply the script's reply (see {@link EnqueueOutcome})
   * @param stamp the connection and socket the reply came over
   */
  record Written(Long reply, RedisConnection.Stamp stamp) {
    EnqueueOutcome outcome() {
      return EnqueueOutcome.ofReply(reply);
    }

    /** The connection the reply came over: the one a WAIT for this write must go on. */
    RedisConnection via() {
      return stamp.connection();
    }
  }
}
