package io.jasynq.cli;

import io.jasynq.Inspector;
import io.jasynq.JasynqException;
import io.jasynq.QueueInfo;
import io.jasynq.QueueNotFoundException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A leaf command: opens a {@link Session} from the global options, runs, closes it. Subclasses
 * implement {@link #execute()} and return the exit status.
 */
abstract class CliCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  private @Nullable Session session;

  @Override
  public final Integer call() {
    Main main = (Main) spec.root().userObject();
    try (Session s = new Session(main.options, main.env)) {
      session = s;
      return execute();
    } finally {
      session = null;
      out().flush();
      err().flush();
    }
  }

  /** Runs the command; returns the exit status. Failures may also be thrown. */
  abstract int execute();

  final Session session() {
    return Objects.requireNonNull(session, "no session outside execute()");
  }

  final Inspector inspector() {
    return session().inspector();
  }

  final PrintWriter out() {
    return spec.commandLine().getOut();
  }

  final PrintWriter err() {
    return spec.commandLine().getErr();
  }

  final Instant now() {
    return env().clock().instant();
  }

  /** The environment the command line runs in (variables, home, clock, stdin). */
  final Environment env() {
    return ((Main) spec.root().userObject()).env;
  }

  /** Prints {@code jasynq: warning: <line>} on stderr; the command goes on. */
  final void warn(String line) {
    out().flush();
    err().println("jasynq: warning: " + Table.oneLine(line));
  }

  /** One warning per problem, each prefixed by {@code subject}. */
  final void warn(String subject, List<String> problems) {
    problems.forEach(p -> warn(subject + ": " + p));
  }

  /**
   * After a listing: one warning saying how many of its rows are bad, where to look; nothing when
   * none is.
   */
  final void warnBadRows(long bad, int rows, String what) {
    if (bad > 0) {
      warn(
          bad
              + " of the "
              + rows
              + " "
              + what
              + " listed "
              + (bad == 1 ? "is" : "are")
              + " malformed: see the problem column (--json lists every problem)");
    }
  }

  /**
   * Every registered queue's info, by name. A queue whose keys are bad is still there, with its
   * problems. A queue that cannot be read by its listed name (removed since the listing, or a name
   * that is not UTF-8) is left out with a warning rather than failing the whole command.
   */
  final java.util.List<QueueInfo> allQueues() {
    java.util.List<QueueInfo> infos = new java.util.ArrayList<>();
    for (String name : inspector().queues()) {
      try {
        infos.add(inspector().queueInfo(name));
      } catch (QueueNotFoundException e) {
        warn(
            "queue \""
                + name
                + "\" is listed in asynq:queues but cannot be read"
                + " (removed meanwhile, or its name is not UTF-8)");
      }
    }
    return infos;
  }

  /**
   * Runs {@code action} for each item; an item that fails with a jasynq or argument error prints
   * one line on stderr and the others still run. Returns 1 if any failed, else 0.
   */
  final int forEach(List<String> items, Consumer<String> action) {
    int status = 0;
    for (String item : items) {
      try {
        action.accept(item);
      } catch (JasynqException
          | IllegalArgumentException
          | IllegalStateException
          | CliException e) {
        out().flush();
        err().println("jasynq: " + Main.oneLine(e.getMessage()));
        status = 1;
      }
    }
    return status;
  }

  /**
   * Reads the rows of each key (as {@link #forEach} runs an action: a key that fails is reported,
   * the others still go) and prints them: with {@code json} one JSON object of key to the views of
   * its rows; otherwise a section per key, {@code heading + key} on its first line, a blank line
   * between sections, and what {@code print} writes. Returns 1 if any key failed, else 0.
   */
  final <T> int sections(
      List<String> keys,
      boolean json,
      String heading,
      Function<String, List<T>> read,
      Function<T, Object> view,
      BiConsumer<String, List<T>> print) {
    Map<String, Object> all = new LinkedHashMap<>();
    int status =
        forEach(
            keys,
            key -> {
              List<T> rows = read.apply(key);
              if (json) {
                all.put(key, rows.stream().map(view).toList());
                return;
              }
              if (!all.isEmpty()) {
                out().println();
              }
              all.put(key, rows);
              out().println(heading + key);
              print.accept(key, rows);
            });
    if (json) {
      Json.print(out(), all);
    }
    return status;
  }
}
