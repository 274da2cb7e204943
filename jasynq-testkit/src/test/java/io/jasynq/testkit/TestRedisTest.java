package io.jasynq.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@RedisTest
class TestRedisTest {
  private final TestRedis redis;
  private final RedisCommands<String, byte[]> commands;

  TestRedisTest(TestRedis redis) {
    this.redis = redis;
    this.commands = redis.commands();
  }

  @Test
  void readsStringsAsTextAndBytes() {
    commands.set("s", "héllo".getBytes(UTF_8));
    commands.set("raw", new byte[] {0, (byte) 0xff});

    assertThat(redis.get("s")).isEqualTo("héllo");
    assertThat(redis.getBytes("raw")).containsExactly(0, 0xff);
    assertThat(redis.get("missing")).isNull();
    assertThat(redis.type("s")).isEqualTo("string");
    assertThat(redis.type("missing")).isEqualTo("none");
  }

  @Test
  void readsHashes() {
    commands.hset("h", Map.of("b", "2".getBytes(UTF_8), "a", "1".getBytes(UTF_8)));

    Map<String, byte[]> all = redis.hgetAll("h");

    assertThat(all.keySet()).containsExactly("a", "b");
    assertThat(all.get("b")).isEqualTo("2".getBytes(UTF_8));
    assertThat(redis.hget("h", "a")).isEqualTo("1");
    assertThat(redis.hget("h", "zzz")).isNull();
    assertThat(redis.hkeys("h")).containsExactly("a", "b");
    assertThat(redis.type("h")).isEqualTo("hash");
  }

  @Test
  void readsWholeListsHeadFirst() {
    commands.rpush("l", "first".getBytes(UTF_8), "second".getBytes(UTF_8));
    commands.lpush("l", "zeroth".getBytes(UTF_8));

    assertThat(redis.lrange("l")).containsExactly("zeroth", "first", "second");
    assertThat(redis.lrange("missing")).isEmpty();
  }

  @Test
  void readsSortedSetsInScoreOrder() {
    commands.zadd("z", 3.0, "c".getBytes(UTF_8));
    commands.zadd("z", 1.5, "a".getBytes(UTF_8));
    commands.zadd("z", 2.0, "b".getBytes(UTF_8));

    assertThat(redis.zrangeWithScores("z"))
        .containsExactly(Map.entry("a", 1.5), Map.entry("b", 2.0), Map.entry("c", 3.0));
  }

  @Test
  void readsSetsSorted() {
    commands.sadd("set", "pear".getBytes(UTF_8), "apple".getBytes(UTF_8), "fig".getBytes(UTF_8));

    assertThat(redis.smembers("set")).containsExactly("apple", "fig", "pear");
  }

  @Test
  void readsTtlAndKeysSorted() {
    commands.set("expiring", "x".getBytes(UTF_8), SetArgs.Builder.ex(100));
    commands.set("forever", "x".getBytes(UTF_8));

    assertThat(redis.ttl("expiring")).isBetween(1L, 100L);
    assertThat(redis.ttl("forever")).isEqualTo(-1);
    assertThat(redis.ttl("missing")).isEqualTo(-2);
    assertThat(redis.keys("*")).containsExactly("expiring", "forever");
    assertThat(redis.keys("exp*")).containsExactly("expiring");
  }

  @Test
  void flushesKeysAndScripts() {
    commands.set("k", "v".getBytes(UTF_8));
    String sha = commands.scriptLoad("return 1");

    redis.flushAll();
    redis.scriptFlush();

    assertThat(redis.keys("*")).isEmpty();
    assertThat(commands.scriptExists(sha)).containsExactly(false);
  }

  @Test
  void listsClientsIncludingItsOwnNamedConnection() {
    List<ClientConnection> clients = redis.clientList();

    assertThat(clients)
        .anySatisfy(
            client -> {
              assertThat(client.name()).isEqualTo(TestRedis.CLIENT_NAME);
              assertThat(client.id()).isPositive();
              assertThat(client.addr()).startsWith("127.0.0.1:");
              assertThat(client.age()).isNotNegative();
              assertThat(client.cmd()).isIn("client|list", "client"); // Redis 7 / 6.2
              assertThat(client.fields()).containsKeys("id", "addr", "name", "age", "cmd");
            });
  }

  @Test
  void closeIsIdempotentAndRejectsLaterUse(RedisServer server) {
    TestRedis other = TestRedis.connect(server.uri());

    other.close();
    other.close();

    assertThat(other.toString()).contains("closed");
    assertThatThrownBy(other::commands)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("TestRedis is closed");
  }

  @Test
  void snapshotShowsEveryKeyAndChangesOnlyWhenSomethingIsWritten() {
    redis.commands().hset("h", "f", new byte[] {1, 2});
    redis.commands().set("s", "v".getBytes(), SetArgs.Builder.ex(100));
    redis.commands().rpush("l", "a".getBytes());
    var before = redis.snapshot();
    assertThat(before.keySet()).containsExactly("h", "l", "s");
    assertThat(before.get("h")).startsWith("hash expiry=-1").contains("f=0102");
    assertThat(before.get("s")).startsWith("string expiry=").doesNotContain("expiry=-1");
    redis.commands().get("s"); // a read changes nothing
    assertThat(redis.snapshot()).isEqualTo(before);
    redis.commands().rpush("l", "b".getBytes());
    assertThat(redis.snapshot()).isNotEqualTo(before);
  }
}
