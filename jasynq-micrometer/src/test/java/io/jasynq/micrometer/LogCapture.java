package io.jasynq.micrometer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Records the events of one logger while open. */
final class LogCapture implements AutoCloseable {
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger logger;

  private LogCapture(Class<?> type) {
    logger = (Logger) LoggerFactory.getLogger(type);
  }

  static LogCapture of(Class<?> type) {
    LogCapture capture = new LogCapture(type);
    capture.appender.start();
    capture.logger.addAppender(capture.appender);
    return capture;
  }

  /** The messages logged at exactly {@code level}. */
  List<String> at(Level level) {
    List<ILoggingEvent> events;
    synchronized (appender) { // doAppend holds this lock while it adds
      events = List.copyOf(appender.list);
    }
    return events.stream()
        .filter(e -> e.getLevel().equals(level))
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
