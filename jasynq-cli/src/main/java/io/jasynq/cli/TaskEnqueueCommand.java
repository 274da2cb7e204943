package io.jasynq.cli;

import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.TaskOption;
import io.jasynq.TaskState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code jasynq task enqueue -t TYPE [-l PAYLOAD] [options]}. */
@Command(name = "enqueue", description = "Enqueue a task.")
final class TaskEnqueueCommand extends CliCommand {
  @Option(
      names = {"-t", "--type_name", "--type"},
      required = true,
      paramLabel = "TYPE",
      description = "The task type.")
  String type;

  @Option(
      names = {"-l", "--payload"},
      paramLabel = "TEXT",
      description = "The payload (UTF-8 text; default empty).")
  String payload;

  @Option(
      names = {"--payload-file", "--payload_file"},
      paramLabel = "FILE",
      description =
          "Read the payload (any bytes) from FILE, or from standard input if FILE is -;"
              + " for payloads too large for the command line. Not with --payload.")
  String payloadFile;

  @Option(names = "--retry", paramLabel = "N", description = "Max retries (default 25).")
  Integer retry;

  @Option(
      names = {"-q", "--queue"},
      paramLabel = "QUEUE",
      description = "The queue (default: default).")
  String queue;

  @Option(names = "--id", paramLabel = "ID", description = "The task ID (default: a UUID).")
  String id;

  @Option(names = "--timeout", paramLabel = "DURATION", description = "e.g. 30s, 5m.")
  String timeout;

  @Option(
      names = "--deadline",
      paramLabel = "TIME",
      description = "RFC 3339, e.g. 2026-12-02T10:00:00Z.")
  String deadline;

  @Option(
      names = "--unique",
      paramLabel = "DURATION",
      description = "Reject an equal task for this long.")
  String unique;

  @Option(
      names = {"--unique_key", "--unique-key"},
      paramLabel = "KEY",
      description = "With --unique: de-duplicate by this key instead of type and payload.")
  String uniqueKey;

  @Option(
      names = "--debounce",
      paramLabel = "KEY,DELAY,MAXWAIT",
      description = {
        "Debounce by KEY: run DELAY after the last enqueue of a burst with that key,",
        "at most MAXWAIT after its first, e.g. user-7,10s,1m."
      })
  String debounce;

  @Option(
      names = {"--process_at", "--process-at"},
      paramLabel = "TIME",
      description = "Run at this RFC 3339 time.")
  String processAt;

  @Option(
      names = {"--process_in", "--process-in"},
      paramLabel = "DURATION",
      description = "Run after this delay.")
  String processIn;

  @Option(
      names = "--retention",
      paramLabel = "DURATION",
      description = "Keep the completed task this long.")
  String retention;

  @Option(
      names = {"-g", "--group"},
      paramLabel = "GROUP",
      description = "Aggregate in this group.")
  String group;

  @Option(
      names = {"-H", "--header"},
      paramLabel = "NAME=VALUE",
      description = "A task header (repeatable).")
  Map<String, String> headers;

  @Option(names = "--json", description = "Print the enqueued task as JSON.")
  boolean json;

  /** {@code flag}'s duration, which must be at least 1 s (or 0, when {@code zeroAllowed}). */
  private static Duration atLeastOneSecond(String flag, String text, boolean zeroAllowed) {
    Duration d = Durations.parse(flag, text);
    if (d.compareTo(Duration.ofSeconds(1)) < 0 && !(zeroAllowed && d.isZero())) {
      throw new UsageException(
          flag
              + " must be "
              + (zeroAllowed ? "0 or " : "")
              + "at least 1s, like 30s or 5m, was \""
              + text
              + "\"");
    }
    return d;
  }

  /** The payload: --payload's text, --payload-file's bytes (- for stdin), else empty. */
  private byte[] payloadBytes() {
    if (payloadFile == null) {
      return payload == null ? new byte[0] : payload.getBytes(StandardCharsets.UTF_8);
    }
    if (payload != null) {
      throw new ParameterException(
          spec.commandLine(), "give either --payload or --payload-file, not both");
    }
    Main main = (Main) spec.root().userObject();
    try {
      if (payloadFile.equals("-")) {
        return main.env.stdin().readAllBytes();
      }
      return Files.readAllBytes(Path.of(payloadFile));
    } catch (NoSuchFileException e) {
      throw new CliException("--payload-file " + payloadFile + " does not exist");
    } catch (IOException e) {
      throw new CliException("cannot read --payload-file " + payloadFile + ": " + e);
    }
  }

  @Override
  int execute() {
    java.util.List<TaskOption> options = new ArrayList<>();
    if (retry != null) {
      if (retry < 0) {
        throw new UsageException("--retry must be 0 or more, was \"" + retry + "\"");
      }
      options.add(TaskOption.maxRetry(retry));
    }
    if (queue != null) {
      options.add(TaskOption.queue(queue));
    }
    if (id != null) {
      options.add(TaskOption.taskId(id));
    }
    if (timeout != null) {
      options.add(TaskOption.timeout(atLeastOneSecond("--timeout", timeout, false)));
    }
    if (deadline != null) {
      options.add(TaskOption.deadline(Durations.time("--deadline", deadline)));
    }
    if (uniqueKey != null && unique == null) {
      throw new UsageException("--unique_key needs --unique DURATION (how long the lock holds)");
    }
    if (unique != null) {
      java.time.Duration ttl = atLeastOneSecond("--unique", unique, false);
      options.add(uniqueKey == null ? TaskOption.unique(ttl) : TaskOption.unique(uniqueKey, ttl));
    }
    if (debounce != null) {
      String[] parts = debounce.split(",", -1);
      if (parts.length != 3 || parts[0].isBlank()) {
        throw new UsageException(
            "--debounce must be KEY,DELAY,MAXWAIT like user-7,10s,1m, was \"" + debounce + "\"");
      }
      options.add(
          TaskOption.debounce(
              parts[0],
              atLeastOneSecond("--debounce delay", parts[1], false),
              atLeastOneSecond("--debounce max wait", parts[2], false)));
    }
    if (processAt != null) {
      options.add(TaskOption.processAt(Durations.time("--process_at", processAt)));
    }
    if (processIn != null) {
      options.add(TaskOption.processIn(Durations.parse("--process_in", processIn)));
    }
    if (retention != null) {
      options.add(TaskOption.retention(atLeastOneSecond("--retention", retention, true)));
    }
    if (group != null) {
      options.add(TaskOption.group(group));
    }
    if (headers != null) {
      headers.forEach((k, v) -> options.add(TaskOption.header(k, v)));
    }
    Task task = Task.of(type, payloadBytes());
    TaskInfo info = session().client().enqueue(task, options.toArray(new TaskOption[0]));
    if (json) {
      Json.print(out(), Views.task(info));
      return 0;
    }
    out()
        .printf(
            "Enqueued task %s (type \"%s\") to queue \"%s\": %s%s%n",
            info.id(),
            info.type(),
            info.queue(),
            info.state().wireName(),
            info.state() == TaskState.SCHEDULED
                ? info.nextProcessAt().map(t -> ", runs " + Human.relative(t, now())).orElse("")
                : info.group().map(g -> " in group \"" + g + "\"").orElse(""));
    return 0;
  }
}
