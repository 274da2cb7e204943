package io.jasynq.testkit;

/**
 * The server and helper one test class (and its nested classes) share. Stored in the class-level
 * JUnit store, which closes it after the class: the helper first, then the server.
 */
final class RedisTestResources implements AutoCloseable {
  private final RedisServer server;
  private final TestRedis redis;

  private RedisTestResources(RedisServer server, TestRedis redis) {
    this.server = server;
    this.redis = redis;
  }

  static RedisTestResources start(RedisBinary binary) {
    RedisServer server = RedisServer.builder().binary(binary).start();
    try {
      return new RedisTestResources(server, TestRedis.connect(server.uri()));
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  RedisServer server() {
    return server;
  }

  TestRedis redis() {
    return redis;
  }

  @Override
  public void close() {
    try {
      redis.close();
    } finally {
      server.close();
    }
  }
}
