package io.jasynq.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/** Records every log event (jasynq's, Lettuce's, Netty's) while open. */
public final class LogCapture implements AutoCloseable {
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  private LogCapture() {}

  /** Starts recording. */
  public static LogCapture start() {
    LogCapture capture = new LogCapture();
    capture.appender.start();
    capture.root.addAppender(capture.appender);
    return capture;
  }

  /** Events at WARN or above, as "LEVEL logger: message". */
  public List<String> warningsAndErrors() {
    return warningsAndErrorsExcept(e -> false);
  }

  /** Events at WARN or above that {@code excused} does not match, as "LEVEL logger: message". */
  public List<String> warningsAndErrorsExcept(Predicate<ILoggingEvent> excused) {
    List<ILoggingEvent> events;
    synchronized (appender) { // doAppend holds this lock while it adds: take a consistent copy
      events = List.copyOf(appender.list);
    }
    return events.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .filter(excused.negate())
        .map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage())
        .toList();
  }

  /** Messages of {@code logger} at exactly {@code level}, formatted. */
  public List<String> messages(Class<?> logger, Level level) {
    return messages(logger.getName(), level);
  }

  /** Messages of the logger named {@code logger} at exactly {@code level}, formatted. */
  public List<String> messages(String logger, Level level) {
    List<ILoggingEvent> events;
    synchronized (appender) {
      events = List.copyOf(appender.list);
    }
    return events.stream()
        .filter(e -> e.getLevel() == level && e.getLoggerName().equals(logger))
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
  }
}
