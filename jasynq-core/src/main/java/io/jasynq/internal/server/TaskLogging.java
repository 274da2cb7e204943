package io.jasynq.internal.server;

import java.io.PrintStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * What a worker logs about its task: the SLF4J MDC entries set while a handler runs and its outcome
 * is recorded, and the report of a failed attempt when no {@code ErrorHandler} is configured.
 * Without an SLF4J provider (SLF4J then discards everything), failures go to {@code System.err},
 * one line each, so they are never silent.
 */
final class TaskLogging {
  /** MDC key: the task's ID. */
  static final String TASK_ID = "jasynq.task_id";

  /** MDC key: the task's type. */
  static final String TASK_TYPE = "jasynq.task_type";

  /** MDC key: the task's queue. */
  static final String QUEUE = "jasynq.queue";

  private static final Logger log = LoggerFactory.getLogger(Processor.class);

  private TaskLogging() {}

  /** Puts the task's ID, type and queue in the calling thread's MDC. */
  static void enter(ActiveTask t) {
    MDC.put(TASK_ID, t.taskId());
    MDC.put(TASK_TYPE, t.task.type());
    MDC.put(QUEUE, t.queue);
  }

  /** Removes what {@link #enter} put. */
  static void exit() {
    MDC.remove(TASK_ID);
    MDC.remove(TASK_TYPE);
    MDC.remove(QUEUE);
  }

  /** Runs {@code r} with the task in the MDC. */
  static void with(ActiveTask t, Runnable r) {
    enter(t);
    try {
      r.run();
    } finally {
      exit();
    }
  }

  /**
   * Reports a failed attempt and what happens next ({@code outcome}, e.g. "retry 2/25 in 40s"):
   * logged at WARN with the stack trace when the task is archived, else at INFO; on {@code
   * System.err} when SLF4J has no provider.
   */
  static void failed(ActiveTask t, Throwable error, String outcome, boolean archived) {
    if (noProvider()) {
      printTo(System.err, t, error, outcome);
    } else if (archived) {
      log.warn("{} failed: {}; {}", t, error.toString(), outcome, error);
    } else {
      log.info("{} failed: {}; {}", t, error.toString(), outcome);
    }
  }

  static void printTo(PrintStream out, ActiveTask t, Throwable error, String outcome) {
    out.println(
        "jasynq: task "
            + t.taskId()
            + " (type "
            + t.task.type()
            + ", queue \""
            + t.queue
            + "\") failed: "
            + error
            + "; "
            + outcome);
  }

  /** Whether SLF4J found no provider and discards every log event. */
  static boolean noProvider() {
    return LoggerFactory.getILoggerFactory() instanceof NOPLoggerFactory;
  }
}
