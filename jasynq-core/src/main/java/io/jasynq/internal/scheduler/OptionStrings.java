package io.jasynq.internal.scheduler;

import io.jasynq.TaskOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The display strings of a scheduler entry's options ({@code SchedulerEntry.enqueue_options}),
 * exactly in the format Go's Inspector parses back (wire-format §2.3): Go duration text, {@code %q}
 * quoting, {@code UnixDate} times in UTC. Every string contains '(' (one without makes the Go
 * Inspector panic).
 */
public final class OptionStrings {
  private OptionStrings() {}

  /** The strings of {@code options}, in order. */
  public static List<String> of(List<TaskOption> options) {
    List<String> out = new ArrayList<>(options.size());
    for (TaskOption o : options) {
      out.add(of(o));
    }
    return out;
  }

  /** The string of one option. */
  public static String of(TaskOption option) {
    if (option instanceof TaskOption.Queue o) {
      return "Queue(" + GoText.quote(o.name()) + ")";
    } else if (option instanceof TaskOption.MaxRetry o) {
      return "MaxRetry(" + o.retries() + ")";
    } else if (option instanceof TaskOption.TaskId o) {
      return "TaskID(" + GoText.quote(o.id()) + ")";
    } else if (option instanceof TaskOption.Timeout o) {
      return "Timeout(" + GoText.duration(o.timeout()) + ")";
    } else if (option instanceof TaskOption.Deadline o) {
      return "Deadline(" + GoText.unixDate(o.deadline()) + ")";
    } else if (option instanceof TaskOption.Unique o) {
      return "Unique(" + GoText.duration(o.ttl()) + ")";
    } else if (option instanceof TaskOption.UniqueKey o) {
      return "UniqueKey(" + GoText.quote(o.key()) + ", " + GoText.duration(o.ttl()) + ")";
    } else if (option instanceof TaskOption.Debounce o) {
      return "Debounce("
          + GoText.quote(o.key())
          + ", "
          + GoText.duration(o.delay())
          + ", "
          + GoText.duration(o.maxWait())
          + ")";
    } else if (option instanceof TaskOption.ProcessAt o) {
      return "ProcessAt(" + GoText.unixDate(o.time()) + ")";
    } else if (option instanceof TaskOption.ProcessIn o) {
      return "ProcessIn(" + GoText.duration(o.delay()) + ")";
    } else if (option instanceof TaskOption.Retention o) {
      return "Retention(" + GoText.duration(o.retention()) + ")";
    } else if (option instanceof TaskOption.Group o) {
      return "Group(" + GoText.quote(o.name()) + ")";
    } else if (option instanceof TaskOption.Header o) {
      return "Header([" + GoText.json(o.name()) + "," + GoText.json(o.value()) + "])";
    }
    throw new IllegalArgumentException("unknown option " + option);
  }
}
