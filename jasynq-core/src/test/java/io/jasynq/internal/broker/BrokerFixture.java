package io.jasynq.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.TaskOption;
import io.jasynq.internal.broker.proto.TaskMessage;
import io.jasynq.redis.RedisConnector;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A broker under test plus a client to seed tasks, on one connector, at a fixed time; injected by
 * {@link BrokerFixtureExtension} into {@link BrokerTest} classes. {@code NOW} lies in the future so
 * that EXPIREAT at now + 90 days never expires a key while a test runs.
 */
final class BrokerFixture implements AutoCloseable {
  static final Instant NOW = Instant.parse("2035-06-01T12:00:30.123456789Z");
  static final long NOW_S = NOW.getEpochSecond();
  static final Instant LEASE = NOW.plusSeconds(30);
  static final long LEASE_S = LEASE.getEpochSecond();
  static final String DAY = "2035-06-01";
  static final long STATS_EXPIRY = NOW.plus(Duration.ofDays(90)).getEpochSecond();

  /**
   * The four counters a failure of a task of queue {@code q} adds one to: processed and failed of
   * {@link #DAY}, then the processed and failed totals.
   */
  static final List<String> FAILURE_COUNTERS =
      List.of(
          "asynq:{q}:processed:" + DAY,
          "asynq:{q}:failed:" + DAY,
          "asynq:{q}:processed",
          "asynq:{q}:failed");

  /** A TaskMessage whose field 1 (a string) holds invalid UTF-8: Go and Java both reject it. */
  static final byte[] BAD_MSG = {0x0a, 0x01, (byte) 0xff};

  final RedisServer server;
  final TestRedis redis;
  final FakeClock clock = FakeClock.at(NOW);
  final RedisConnector connector;
  final Broker broker;
  final Client client;

  BrokerFixture(RedisServer server, TestRedis redis) {
    this.server = server;
    this.redis = redis;
    this.connector = RedisConnector.create(server.uri());
    this.broker = Broker.open(connector.connectionSource());
    this.client = Client.builder().connector(connector).clock(clock).build();
  }

  <T> T await(CompletableFuture<T> future) {
    return broker.await(future);
  }

  TaskInfo enqueue(Task task, TaskOption... options) {
    return client.enqueue(task, options);
  }

  /** Enqueues {@code task} into an otherwise empty queue and dequeues it: the task is active. */
  TaskMessage active(Task task, TaskOption... options) {
    TaskInfo info = client.enqueue(task, options);
    Dequeued d = await(broker.tasks().dequeue(List.of(info.queue()), NOW, LEASE));
    assertThat(d.id()).isEqualTo(info.id());
    assertThat(d.decodeError()).isNull();
    return d.message();
  }

  TaskMessage msg(String queue, String id) throws Exception {
    return TaskMessage.parseFrom(redis.hgetAll(Keys.task(queue, id)).get("msg"));
  }

  /** The key's expiry in unix seconds (-1 none, -2 no key); works on Redis 6.2 too. */
  long expireTime(String key) {
    long pttl = redis.commands().pttl(key); // EXPIRETIME needs Redis 7.0
    if (pttl < 0) {
      return pttl;
    }
    // EXPIREAT sets whole seconds, so rounding now + PTTL gives the exact second back.
    return Math.round((System.currentTimeMillis() + pttl) / 1000.0);
  }

  /** Each of {@link #FAILURE_COUNTERS} is 1, and the two of the day expire at STATS_EXPIRY. */
  void assertOneFailureCounted() {
    for (String counter : FAILURE_COUNTERS) {
      assertThat(redis.get(counter)).as(counter).isEqualTo("1");
    }
    assertThat(expireTime(FAILURE_COUNTERS.get(0))).isEqualTo(STATS_EXPIRY);
    assertThat(expireTime(FAILURE_COUNTERS.get(1))).isEqualTo(STATS_EXPIRY);
  }

  /** Everything in Redis, one line per key, to prove that an operation wrote nothing. */
  Map<String, String> snapshot() {
    return redis.snapshot();
  }

  static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  @Override
  public void close() {
    client.close();
    broker.close();
    connector.close();
  }
}
