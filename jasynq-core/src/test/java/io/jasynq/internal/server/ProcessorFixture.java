package io.jasynq.internal.server;

import io.jasynq.Handler;
import io.jasynq.ServerConfig;
import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.runtime.ThreadFactoryBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A real {@link Processor} on a real broker, built as {@code ServerRuntime} builds it but without
 * the periodic parts, so that a test drives those itself. Closing it shuts the processor down at
 * once and stops its timer.
 */
final class ProcessorFixture implements AutoCloseable {
  final Processor processor;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private boolean shutDown;

  ProcessorFixture(Broker broker, ServerConfig config, Handler handler) {
    QueueSelector selector =
        new QueueSelector(config.queues(), config.strictPriority(), new Random(1));
    this.processor =
        new Processor(
            broker,
            config,
            handler,
            selector,
            timer,
            new ThreadFactoryBuilder("test0000"),
            new Listeners(List.of(), null));
  }

  /** Starts fetching and running tasks. */
  ProcessorFixture start() {
    processor.start();
    return this;
  }

  /** Shuts the processor down, giving running handlers {@code timeout}; see Processor#shutdown. */
  int shutdown(Duration timeout) {
    shutDown = true;
    return processor.shutdown(timeout);
  }

  @Override
  public void close() {
    if (!shutDown) {
      shutdown(Duration.ZERO);
    }
    timer.shutdownNow();
  }
}
