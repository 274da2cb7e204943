package io.jasynq.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import io.jasynq.lifecycle.LifecycleCases.Caller;
import io.jasynq.lifecycle.LifecycleCases.Closing;
import io.jasynq.lifecycle.LifecycleCases.Subject;
import io.jasynq.lifecycle.LifecycleCases.Type;
import io.jasynq.lifecycle.LifecycleCases.Wiring;
import io.jasynq.support.ChildJvm;
import io.jasynq.support.LogCapture;
import io.jasynq.testkit.Leaks;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lifecycle matrix on one topology (one subclass per topology): every public closeable type,
 * owned and borrowed every way, closed in the natural order, in the wrong order, twice, from two
 * threads, from inside a handler, and from JVM shutdown hooks. None throws, hangs, logs a WARN or
 * ERROR, or leaves a {@code jasynq-*} thread; the caller's objects keep working where they should.
 */
abstract class LifecycleMatrixTest {
  /** The topology's URI, as a user would write it. */
  abstract String uri();

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("io.jasynq.lifecycle.LifecycleCases#cases")
  void closesQuietly(Type type, Wiring wiring, Closing closing) throws Exception {
    Set<Thread> before = Leaks.jasynqThreads();
    Duration took;
    try (LogCapture logs = LogCapture.start()) {
      Caller caller = wiring.wire(uri());
      try {
        Subject subject = type.open(caller.wired());
        subject.use();
        took = LifecycleCases.bounded(closing + " close", () -> closing.close(subject, caller));
        assertThat(took)
            .as("close, the shutdown timeout being %s", LifecycleCases.SHUTDOWN_TIMEOUT)
            .isLessThan(LifecycleCases.SHUTDOWN_TIMEOUT.plus(LifecycleCases.SLACK));
        subject.assertClosed();
        if (closing.leavesCallerUsable()) {
          caller.assertUsable();
        }
      } finally {
        LifecycleCases.bounded("the caller's own close", caller::close);
      }
      Leaks.awaitNoNewJasynqThreads(before, Duration.ofSeconds(10));
      boolean callerFirst =
          closing == Closing.CALLER_FIRST || closing == Closing.CALLER_RESOURCES_FIRST;
      // Lettuce's own double close of node connections (see LettuceClusterShutdownTest): when
      // the caller shuts its cluster client down first, or on a borrowed cluster connection,
      // which jasynq never closes (so such a WARN cannot be jasynq's).
      boolean callersClusterClient =
          caller.hasClusterClient() && (callerFirst || wiring == Wiring.BORROWED_CONNECTION);
      assertThat(
              logs.warningsAndErrorsExcept(
                  e ->
                      (closing == Closing.CALLER_RESOURCES_FIRST
                              && (reconnectOnDeadTimer(e)
                                  || (wiring == Wiring.BORROWED_CONNECTION
                                      && connectOnDeadEventLoop(e))))
                          || (callersClusterClient
                              && LettuceClusterShutdownTest.isDoubleCloseWarning(e))))
          .isEmpty();
      if (!callerFirst) {
        // Redis answered throughout: a server's shutdown cleaned up everything (its entry too,
        // though FROM_HANDLER closes on a thread its task's cancellation interrupted).
        assertThat(logs.messages(io.jasynq.internal.server.ServerRuntime.class, Level.INFO))
            .noneSatisfy(m -> assertThat(m).contains("without cleaning up"));
      }
    }
    System.out.printf(
        "lifecycle %s %s %s %s: close took %d ms%n",
        getClass().getSimpleName(), type, wiring, closing, took.toMillis());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Wiring.class)
  void closesQuietlyFromJvmShutdownHooks(Wiring wiring) throws Exception {
    ChildJvm.Result child =
        ChildJvm.run(Duration.ofSeconds(90), LifecycleChild.class, "hooks", uri(), wiring.name());
    assertThat(child.exitCode()).as(child.toString()).isZero();
    assertThat(child.stderr()).as(child.toString()).isEmpty();
    assertThat(child.warningsAndErrors()).as(child.toString()).isEmpty();
    for (Type type : Type.values()) {
      assertThat(child.stdout()).as(child.toString()).contains("closed " + type);
    }
    assertThat(child.stdout()).as(child.toString()).contains("caller closed");
  }

  /**
   * Lettuce's own WARN when a caller shuts down its {@code ClientResources} under a connection that
   * is still open: the connection's reconnect watchdog asks the stopped timer for a reconnect. It
   * comes from the caller's connection (it shows with a borrowed connection, where jasynq has no
   * connection of its own) and Lettuce alone logs it, with or without jasynq; nothing jasynq does
   * can prevent it, so that one message is excused in that one wrong order.
   */
  private static boolean reconnectOnDeadTimer(ILoggingEvent e) {
    IThrowableProxy t = e.getThrowableProxy();
    return e.getLoggerName().equals("io.netty.channel.DefaultChannelPipeline")
        && t != null
        && t.getClassName().equals(IllegalStateException.class.getName())
        && "cannot be started once stopped".equals(t.getMessage())
        && Arrays.stream(t.getStackTraceElementProxyArray())
            .anyMatch(f -> f.getSTEAsString().contains("ConnectionWatchdog.scheduleReconnect"));
  }

  /**
   * Netty's pair of messages when a connection is opened on event loops that are shutting down. On
   * a borrowed cluster connection, Lettuce opens node connections by itself on the caller's event
   * loops; a command sent while the caller is shutting them down (before Lettuce marks them as
   * shutting down, which is what jasynq can see) makes Lettuce try, and Netty log this. Excused
   * only for a borrowed connection whose owner shuts its event loops down first.
   */
  private static boolean connectOnDeadEventLoop(ILoggingEvent e) {
    String m = e.getFormattedMessage();
    return (e.getLoggerName().equals("io.netty.channel.AbstractChannel")
            && m.startsWith("Force-closing a channel whose registration task was not accepted"))
        || (e.getLoggerName().equals("io.netty.util.concurrent.DefaultPromise.rejectedExecution")
            && m.startsWith("Failed to submit a listener notification task"));
  }
}
