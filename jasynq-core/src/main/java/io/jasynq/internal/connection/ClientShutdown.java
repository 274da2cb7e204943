package io.jasynq.internal.connection;

import io.lettuce.core.AbstractRedisClient;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shuts a Lettuce client down without waiting forever. Lettuce's blocking {@code shutdown} waits
 * for its future with no bound, and that future never completes when the {@code ClientResources}
 * the client runs on were shut down first (a caller that closes its resources before our
 * connector): its channels can no longer be closed on their event loops. Stateless.
 */
final class ClientShutdown {
  private static final Logger log = LoggerFactory.getLogger(ClientShutdown.class);

  private ClientShutdown() {}

  /**
   * Shuts {@code client} down, waiting at most {@code timeout} plus a second; not at all when its
   * resources' event loops are already shut down (then nothing is left to wait for).
   */
  static void shutdown(AbstractRedisClient client, Duration timeout) {
    var future = client.shutdownAsync(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (client.getResources().eventExecutorGroup().isShuttingDown()) {
      log.debug("not waiting for {} to shut down: its client resources are shut down", client);
      return;
    }
    try {
      future.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.debug("{} did not shut down within {}; moving on", client, timeout);
    } catch (ExecutionException e) {
      log.debug("shutting down {} failed", client, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
