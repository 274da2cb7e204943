package io.jasynq.internal.connection;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * Opens new connections with our byte-array codec from a client: a {@link RedisClient} (to the URI
 * it was created with, or to a given one) or a Redis Cluster client ({@link ClusterConnections}).
 * Thread-safe.
 */
interface Dialer {
  /** A new data connection. */
  StatefulConnection<byte[], byte[]> connect();

  /** A new Pub/Sub connection. */
  StatefulRedisPubSubConnection<byte[], byte[]> connectPubSub();

  /**
   * Whether a Pub/Sub connection's node holds every key, so that key tracking on it sees every
   * write (not so on a cluster, where it reaches one node).
   */
  default boolean pubSubSeesEveryKey() {
    return true;
  }

  /** Connects {@code client} to the URI it was created with. */
  static Dialer of(RedisClient client) {
    return new Dialer() {
      @Override
      public StatefulConnection<byte[], byte[]> connect() {
        return client.connect(ByteArrayCodec.INSTANCE);
      }

      @Override
      public StatefulRedisPubSubConnection<byte[], byte[]> connectPubSub() {
        return client.connectPubSub(ByteArrayCodec.INSTANCE);
      }
    };
  }

  /** Connects {@code client} to {@code uri}. */
  static Dialer of(RedisClient client, RedisURI uri) {
    return new Dialer() {
      @Override
      public StatefulConnection<byte[], byte[]> connect() {
        return client.connect(ByteArrayCodec.INSTANCE, uri);
      }

      @Override
      public StatefulRedisPubSubConnection<byte[], byte[]> connectPubSub() {
        return client.connectPubSub(ByteArrayCodec.INSTANCE, uri);
      }
    };
  }
}
