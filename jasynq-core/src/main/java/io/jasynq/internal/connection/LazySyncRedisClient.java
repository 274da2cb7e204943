package io.jasynq.internal.connection;

import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.protocol.PushHandler;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;

/**
 * The {@link RedisClient} of an owned {@code RedisConnector}: its connections build Lettuce's
 * synchronous API only when {@code sync()} is first called, which jasynq never does.
 *
 * <p>Lettuce builds that API eagerly in every connection's constructor: a dynamic proxy over the
 * ~500 methods of {@link RedisCommands}, each looked up by reflection on the asynchronous
 * implementation. In a fresh JVM that is about half a second of CPU, a third of what a one-shot
 * {@code jasynq stats} used to cost; it is paid once per JVM, so a long-lived server hardly
 * notices, but every CLI command did.
 */
public final class LazySyncRedisClient extends RedisClient {
  public LazySyncRedisClient(ClientResources resources, RedisURI uri) {
    super(resources, uri);
  }

  @Override
  protected <K, V> StatefulRedisConnectionImpl<K, V> newStatefulRedisConnection(
      RedisChannelWriter writer,
      PushHandler pushHandler,
      RedisCodec<K, V> codec,
      Duration timeout) {
    return new Connection<>(writer, pushHandler, codec, timeout, this);
  }

  private static final class Connection<K, V> extends StatefulRedisConnectionImpl<K, V> {
    private volatile RedisCommands<K, V> lazySync;

    Connection(
        RedisChannelWriter writer,
        PushHandler pushHandler,
        RedisCodec<K, V> codec,
        Duration timeout,
        RedisClient client) {
      super(writer, pushHandler, codec, timeout, client.getOptions().getJsonParser());
    }

    @Override
    protected RedisCommands<K, V> newRedisSyncCommandsImpl() {
      return null; // built by sync() on first use
    }

    @Override
    public RedisCommands<K, V> sync() {
      RedisCommands<K, V> s = lazySync;
      if (s == null) {
        synchronized (this) {
          s = lazySync;
          if (s == null) {
            s = super.newRedisSyncCommandsImpl();
            lazySync = s;
          }
        }
      }
      return s;
    }
  }
}
