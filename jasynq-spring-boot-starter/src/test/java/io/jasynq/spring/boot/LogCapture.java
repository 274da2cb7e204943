package io.jasynq.spring.boot;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * Records every log event (jasynq's, Lettuce's, Netty's) while open. Start it once the context
 * runs: Spring Boot resets Logback while it starts an application (after an earlier context closed,
 * too), which detaches this appender; the readers fail rather than report an empty list then.
 */
final class LogCapture implements AutoCloseable {
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  private LogCapture() {}

  /** Starts recording. */
  static LogCapture start() {
    LogCapture capture = new LogCapture();
    capture.appender.start();
    capture.root.addAppender(capture.appender);
    return capture;
  }

  /** Events at WARN or above, as "LEVEL logger: message". */
  List<String> warningsAndErrors() {
    return warningsAndErrorsExcept(e -> false);
  }

  /** Events at WARN or above that {@code excused} does not match, as "LEVEL logger: message". */
  List<String> warningsAndErrorsExcept(Predicate<ILoggingEvent> excused) {
    return events().stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .filter(excused.negate())
        .map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage())
        .toList();
  }

  /** Messages of the logger named {@code logger} at INFO, formatted. */
  List<String> infos(String logger) {
    return events().stream()
        .filter(e -> e.getLevel() == Level.INFO && e.getLoggerName().equals(logger))
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  private List<ILoggingEvent> events() {
    if (!root.isAttached(appender) || !appender.isStarted()) {
      throw new AssertionError(
          "LogCapture was detached (Spring Boot reset Logback after it started): start it once the"
              + " context runs");
    }
    synchronized (appender) { // doAppend holds this lock while it adds: take a consistent copy
      return List.copyOf(appender.list);
    }
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
  }
}
