package io.jasynq.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.jasynq.support.LogCapture;
import io.jasynq.testkit.RedisCluster;
import io.jasynq.testkit.RedisClusterTest;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import org.junit.jupiter.api.Test;

/**
 * A canary, with no jasynq code in it: Lettuce 7.7 alone logs "Connection is already closed" at
 * WARN, once per node connection, when a {@code RedisClusterClient} is shut down while one of its
 * cluster connections is still open (it closes the node connections twice). The lifecycle matrix
 * excuses that message, and only it, when the caller shuts down its own cluster client or its
 * resources before closing a jasynq object built on it. If a Lettuce upgrade makes this test fail,
 * drop the excuse.
 */
@RedisClusterTest
class LettuceClusterShutdownTest {
  /** The WARN that Lettuce logs for the second close of a connection. */
  static boolean isDoubleCloseWarning(ILoggingEvent e) {
    return e.getLevel() == Level.WARN
        && e.getLoggerName().equals("io.lettuce.core.RedisChannelHandler")
        && "Connection is already closed".equals(e.getFormattedMessage());
  }

  @Test
  void shuttingDownAClusterClientUnderAnOpenConnectionWarnsOnItsOwn(RedisCluster cluster) {
    try (LogCapture logs = LogCapture.start()) {
      RedisClusterClient client =
          RedisClusterClient.create(cluster.seedUris().stream().map(RedisURI::create).toList());
      StatefulRedisClusterConnection<String, String> connection = client.connect();
      for (int i = 0; i < 30; i++) {
        connection.sync().set("k" + i, "v"); // keys on every master: a node connection each
      }
      client.shutdown(); // the connection is still open
      assertThat(logs.warningsAndErrors())
          .isNotEmpty()
          .allMatch(
              w ->
                  w.equals(
                      "WARN io.lettuce.core.RedisChannelHandler: Connection is already closed"));
    }
  }
}
