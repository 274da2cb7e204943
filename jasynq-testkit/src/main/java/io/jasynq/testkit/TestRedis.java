package io.jasynq.testkit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis connection for setting up and inspecting state in tests: String keys, {@code byte[]}
 * values, and helpers that return sorted, comparable views.
 *
 * <p>Owns its own Lettuce {@link RedisClient}, {@link ClientResources} and one connection, named
 * {@value #CLIENT_NAME} so that {@link Leaks} can tell it apart from the connections under test. It
 * reconnects by itself after the server restarts. Thread-safe, like Lettuce connections.
 *
 * @since 0.1.0
 */
public final class TestRedis implements AutoCloseable {
  /** The client name of every TestRedis connection: {@value}. */
  public static final String CLIENT_NAME = "jasynq-testkit";

  /** How long one command may take before it fails: 10 seconds. */
  public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(TestRedis.class);
  private static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private final ClientResources resources;
  private final RedisClient client;
  private final StatefulRedisConnection<String, byte[]> connection;
  private final AtomicBoolean closed = new AtomicBoolean();

  private TestRedis(
      ClientResources resources,
      RedisClient client,
      StatefulRedisConnection<String, byte[]> connection) {
    this.resources = resources;
    this.client = client;
    this.connection = connection;
  }

  /**
   * Connects to a Redis server.
   *
   * @param uri a Redis URI such as {@link RedisServer#uri()}
   * @return a connected helper; the caller owns it and must {@link #close()} it
   * @throws NullPointerException if {@code uri} is null
   * @throws IllegalArgumentException if {@code uri} is not a Redis URI
   * @throws io.lettuce.core.RedisConnectionException if the server cannot be reached; nothing is
   *     left open
   */
  public static TestRedis connect(String uri) {
    Objects.requireNonNull(uri, "uri == null");
    RedisURI redisUri = RedisURI.create(uri);
    redisUri.setClientName(CLIENT_NAME);
    redisUri.setTimeout(COMMAND_TIMEOUT);
    ClientResources resources =
        DefaultClientResources.builder()
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(2)
            .reconnectDelay(Delay.constant(Duration.ofMillis(100)))
            .build();
    RedisClient client = null;
    try {
      client = RedisClient.create(resources, redisUri);
      StatefulRedisConnection<String, byte[]> connection;
      try {
        connection = client.connect(CODEC);
      } catch (RuntimeException e) {
        if (!lostHandshake(e)) {
          throw e;
        }
        // Lettuce lost the server's refusal (NOAUTH, say) in a race with the channel closing and
        // reported "RedisHandshakeHandler not registered"; a second attempt reports the refusal.
        connection = client.connect(CODEC);
      }
      log.debug("TestRedis connected to {}:{}", redisUri.getHost(), redisUri.getPort());
      return new TestRedis(resources, client, connection);
    } catch (RuntimeException e) {
      if (client != null) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
      resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
      throw e;
    }
  }

  private static boolean lostHandshake(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (String.valueOf(t.getMessage()).contains("HandshakeHandler not registered")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The synchronous commands of the connection, for anything the helpers do not cover.
   *
   * @return commands owned by this TestRedis; do not close its connection
   * @throws IllegalStateException if this TestRedis is closed
   */
  public RedisCommands<String, byte[]> commands() {
    if (closed.get()) {
      throw new IllegalStateException("TestRedis is closed");
    }
    return connection.sync();
  }

  /**
   * {@code KEYS pattern}, sorted.
   *
   * @param pattern a glob such as {@code "asynq:*"}
   * @return the matching keys in ascending order (unmodifiable)
   */
  public List<String> keys(String pattern) {
    return sorted(commands().keys(pattern));
  }

  /**
   * {@code TYPE key}.
   *
   * @param key the key
   * @return {@code string}, {@code list}, {@code set}, {@code zset}, {@code hash}, {@code stream},
   *     or {@code none} if the key does not exist
   */
  public String type(String key) {
    return commands().type(key);
  }

  /**
   * {@code TTL key}.
   *
   * @param key the key
   * @return seconds to live, {@code -1} if the key has no expiry, {@code -2} if it does not exist
   */
  public long ttl(String key) {
    return commands().ttl(key);
  }

  /**
   * {@code GET key} as UTF-8 text.
   *
   * @param key the key
   * @return the value, or null if the key does not exist
   */
  public @Nullable String get(String key) {
    return text(commands().get(key));
  }

  /**
   * {@code GET key} as bytes.
   *
   * @param key the key
   * @return the value, or null if the key does not exist
   */
  public byte[] getBytes(String key) {
    return commands().get(key);
  }

  /**
   * {@code HGETALL key}, sorted by field.
   *
   * @param key the key
   * @return field to value in ascending field order, empty if the key does not exist (unmodifiable)
   */
  public Map<String, byte[]> hgetAll(String key) {
    return Collections.unmodifiableMap(new TreeMap<>(commands().hgetall(key)));
  }

  /**
   * {@code HGET key field} as UTF-8 text.
   *
   * @param key the key
   * @param field the field
   * @return the value, or null if the key or field does not exist
   */
  public @Nullable String hget(String key, String field) {
    return text(commands().hget(key, field));
  }

  /**
   * {@code HKEYS key}, sorted.
   *
   * @param key the key
   * @return the fields in ascending order (unmodifiable)
   */
  public List<String> hkeys(String key) {
    return sorted(commands().hkeys(key));
  }

  /**
   * The whole list: {@code LRANGE key 0 -1} as UTF-8 text.
   *
   * @param key the key
   * @return the elements, head first (unmodifiable)
   */
  public List<String> lrange(String key) {
    List<String> elements = new ArrayList<>();
    for (byte[] element : commands().lrange(key, 0, -1)) {
      elements.add(text(element));
    }
    return Collections.unmodifiableList(elements);
  }

  /**
   * The whole sorted set: {@code ZRANGE key 0 -1 WITHSCORES}.
   *
   * @param key the key
   * @return member (UTF-8) to score, lowest score first; a new map the caller may change
   */
  public LinkedHashMap<String, Double> zrangeWithScores(String key) {
    LinkedHashMap<String, Double> members = new LinkedHashMap<>();
    for (ScoredValue<byte[]> scored : commands().zrangeWithScores(key, 0, -1)) {
      members.put(text(scored.getValue()), scored.getScore());
    }
    return members;
  }

  /**
   * {@code SMEMBERS key} as UTF-8 text, sorted.
   *
   * @param key the key
   * @return the members in ascending order (unmodifiable)
   */
  public List<String> smembers(String key) {
    List<String> members = new ArrayList<>();
    for (byte[] member : commands().smembers(key)) {
      members.add(text(member));
    }
    return sorted(members);
  }

  /** {@code FLUSHALL}: deletes every key in every database. */
  public void flushAll() {
    commands().flushall();
  }

  /** {@code SCRIPT FLUSH}: empties the Lua script cache. */
  public void scriptFlush() {
    commands().scriptFlush();
  }

  /**
   * {@code ACL SETUSER name rule...} (Redis 6+): creates or changes a user with rules written as in
   * {@code redis.conf}, such as {@code on}, {@code >password}, {@code +get}, {@code ~asynq:*}.
   *
   * @param name the user name
   * @param rules the ACL rules, applied in order
   * @throws io.lettuce.core.RedisCommandExecutionException with Redis's text if a rule is invalid
   */
  public void aclSetUser(String name, List<String> rules) {
    io.lettuce.core.protocol.CommandArgs<String, byte[]> args =
        new io.lettuce.core.protocol.CommandArgs<>(CODEC).add("SETUSER").add(name);
    rules.forEach(args::add);
    commands()
        .dispatch(
            io.lettuce.core.protocol.CommandType.ACL,
            new io.lettuce.core.output.StatusOutput<>(CODEC),
            args);
  }

  /**
   * {@code ACL DELUSER name}: deletes the user and disconnects its connections.
   *
   * @param name the user name
   */
  public void aclDelUser(String name) {
    commands().aclDeluser(name);
  }

  /**
   * {@code CLIENT LIST}, parsed; includes this TestRedis's own connection.
   *
   * @return one entry per open connection, in server order
   */
  public List<ClientConnection> clientList() {
    return ClientConnection.parseList(commands().clientList());
  }

  /**
   * Closes the connection, then the client, then the client resources. Idempotent; a close failure
   * is rethrown after the later steps have run.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    RuntimeException failure = null;
    try {
      connection.close();
    } catch (RuntimeException e) {
      failure = e;
    }
    try {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    } catch (RuntimeException e) {
      failure = addSuppressed(failure, e);
    }
    try {
      resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    } catch (RuntimeException e) {
      failure = addSuppressed(failure, e);
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Shows the connection state. */
  /**
   * Everything in this Redis, one line per key (type, expiry and value, binary values in hex),
   * sorted by key: compare two snapshots to prove that an operation wrote nothing.
   */
  public java.util.SortedMap<String, String> snapshot() {
    java.util.SortedMap<String, String> all = new java.util.TreeMap<>();
    for (String key : keys("*")) {
      String type = type(key);
      java.util.HexFormat hex = java.util.HexFormat.of();
      String value =
          switch (type) {
            case "string" -> hex.formatHex(getBytes(key));
            case "list" -> lrange(key).toString();
            case "set" -> smembers(key).toString();
            case "zset" -> zrangeWithScores(key).toString();
            case "hash" -> {
              java.util.SortedMap<String, String> h = new java.util.TreeMap<>();
              hgetAll(key).forEach((f, v) -> h.put(f, hex.formatHex(v)));
              yield h.toString();
            }
            default -> "?";
          };
      long pttl = commands().pttl(key);
      String expiry =
          pttl < 0
              ? Long.toString(pttl)
              : Long.toString(Math.round((System.currentTimeMillis() + pttl) / 1000.0));
      all.put(key, type + " expiry=" + expiry + " " + value);
    }
    return all;
  }

  @Override
  public String toString() {
    return "TestRedis["
        + (closed.get() ? "closed" : connection.isOpen() ? "open" : "reconnecting")
        + "]";
  }

  private static RuntimeException addSuppressed(
      @Nullable RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  private static @Nullable String text(byte @Nullable [] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private static List<String> sorted(Collection<String> values) {
    List<String> list = new ArrayList<>(values);
    Collections.sort(list);
    return Collections.unmodifiableList(list);
  }
}
