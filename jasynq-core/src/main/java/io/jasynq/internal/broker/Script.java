package io.jasynq.internal.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The Lua scripts under {@code resources/io/jasynq/scripts}, loaded once. Each file's header lists
 * its KEYS, ARGV and replies. Scripts run by SHA with an EVAL fallback on NOSCRIPT; a pipeline
 * preloads them with SCRIPT LOAD first.
 */
enum Script {
  ENQUEUE("enqueue.lua", "lib_keys.lua", "lib_new_task.lua"),
  SCHEDULE("schedule.lua", "lib_keys.lua", "lib_new_task.lua"),
  ADD_TO_GROUP("add_to_group.lua", "lib_keys.lua", "lib_new_task.lua"),
  DEQUEUE("dequeue.lua", "lib_keys.lua", "lib_dequeue.lua"),
  DONE("done.lua", "lib_keys.lua", "lib_counters.lua", "lib_active.lua", "lib_done.lua"),
  DONE_DEQUEUE(
      "done_dequeue.lua",
      "lib_keys.lua",
      "lib_counters.lua",
      "lib_active.lua",
      "lib_done.lua",
      "lib_dequeue.lua"),
  DONE_MANY("done_many.lua", "lib_keys.lua", "lib_counters.lua", "lib_active.lua"),
  MARK_COMPLETE("mark_complete.lua", "lib_keys.lua", "lib_counters.lua", "lib_active.lua"),
  REQUEUE("requeue.lua", "lib_keys.lua", "lib_active.lua"),
  RETRY("retry.lua", "lib_keys.lua", "lib_counters.lua", "lib_active.lua"),
  ARCHIVE(
      "archive.lua", "lib_keys.lua", "lib_counters.lua", "lib_active.lua", "lib_trim_archive.lua"),
  FORWARD("forward.lua", "lib_keys.lua"),
  DELETE_EXPIRED_COMPLETED("delete_expired_completed.lua", "lib_keys.lua"),
  LIST_LEASE_EXPIRED("list_lease_expired.lua", "lib_keys.lua"),
  WRITE_SERVER_STATE("write_server_state.lua"),
  WRITE_RESULT("write_result.lua", "lib_keys.lua"),
  AGGREGATION_CHECK("aggregation_check.lua", "lib_keys.lua"),
  READ_AGGREGATION_SET("read_aggregation_set.lua"),
  DELETE_AGGREGATION_SET("delete_aggregation_set.lua", "lib_keys.lua"),
  RECLAIM_STALE_AGGREGATION_SETS("reclaim_stale_aggregation_sets.lua", "lib_keys.lua"),
  ARCHIVE_AGGREGATING("archive_aggregating.lua", "lib_keys.lua", "lib_trim_archive.lua"),
  REGISTER_GROUPS("register_groups.lua"),
  // The Inspector's (InspectQueries).
  QUEUE_INFO("queue_info.lua"),
  MEMORY_USAGE("memory_usage.lua"),
  HISTORY("history.lua"),
  GROUPS("groups.lua"),
  TASK_INFO("task_info.lua"),
  LIST_TASKS("list_tasks.lua"),
  READ_SERVER("read_server.lua"),
  MANAGE_TASKS("manage_tasks.lua", "lib_keys.lua", "lib_trim_archive.lua"),
  REPLACE_SCHEDULED_MESSAGE("replace_scheduled_message.lua"),
  CHECK_QUEUE_DELETABLE("check_queue_deletable.lua"),
  DELETE_QUEUE_TASKS("delete_queue_tasks.lua", "lib_keys.lua"),
  // The Scheduler's (SchedulerStore).
  ENQUEUE_ONCE(new Wrapped("fire_once.lua", "enqueue.lua"), "lib_keys.lua", "lib_new_task.lua"),
  SCHEDULE_ONCE(new Wrapped("fire_once.lua", "schedule.lua"), "lib_keys.lua", "lib_new_task.lua"),
  ADD_TO_GROUP_ONCE(
      new Wrapped("fire_once.lua", "add_to_group.lua"), "lib_keys.lua", "lib_new_task.lua"),
  WRITE_SCHEDULER_ENTRIES("write_scheduler_entries.lua"),
  RECORD_SCHEDULER_EVENT("record_scheduler_event.lua", "lib_keys.lua"),
  SET_LIMIT("set_limit.lua", "lib_keys.lua"),
  DEBOUNCE("debounce.lua", "lib_keys.lua");

  /** The line of a wrapper script that the wrapped script replaces. */
  private static final String WRAPPED = "\n--@enqueue@\n";

  private final String file;
  private final byte[] source;
  private final String sha;
  // The files the source is made of, in order, with how many lines each brings (for errors).
  private final List<String> parts;
  private final int[] partLines;

  /**
   * A script made of {@code libraries} (files of local functions, {@code lib_*.lua}) followed by
   * {@code file}; Redis runs each script alone, so shared Lua is prepended rather than called.
   */
  Script(String file, String... libraries) {
    this.file = file;
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    List<String> names = new java.util.ArrayList<>(List.of(libraries));
    names.add(file);
    this.partLines = new int[names.size()];
    for (int i = 0; i < names.size(); i++) {
      byte[] text = load(names.get(i));
      all.writeBytes(text);
      partLines[i] = lineCount(text);
    }
    this.parts = List.copyOf(names);
    this.source = all.toByteArray();
    this.sha = sha1Hex(source);
  }

  private static int lineCount(byte[] text) {
    int n = 0;
    for (byte b : text) {
      if (b == '\n') {
        n++;
      }
    }
    return n;
  }

  /**
   * A script made of a wrapper and the script it wraps, joined once when loaded: still one static
   * script with one SHA, and the wrapped enqueue rules stay in their own file. The {@code
   * libraries} both use come first, outside the wrapper (the wrapper uses {@code lib_keys.lua}'s
   * key-type checks; the wrapped script, the libraries it is listed with on its own).
   */
  Script(Wrapped w, String... libraries) {
    this.file = w.wrapper() + "(" + w.wrapped() + ")";
    StringBuilder outer = new StringBuilder();
    for (String library : libraries) {
      outer.append(new String(load(library), StandardCharsets.UTF_8));
    }
    outer.append(new String(load(w.wrapper()), StandardCharsets.UTF_8));
    if (outer.indexOf(WRAPPED) < 0) {
      throw new IllegalStateException(w.wrapper() + " has no --@enqueue@ line");
    }
    this.parts = List.of(file);
    this.partLines = new int[] {Integer.MAX_VALUE};
    this.source =
        outer
            .toString()
            .replace(WRAPPED, "\n" + new String(load(w.wrapped()), StandardCharsets.UTF_8) + "\n")
            .getBytes(StandardCharsets.UTF_8);
    this.sha = sha1Hex(source);
  }

  /** A wrapper script and the script pasted into it. */
  private record Wrapped(String wrapper, String wrapped) {}

  /** This enqueue script wrapped by fire_once.lua. */
  Script once() {
    return switch (this) {
      case ENQUEUE -> ENQUEUE_ONCE;
      case SCHEDULE -> SCHEDULE_ONCE;
      case ADD_TO_GROUP -> ADD_TO_GROUP_ONCE;
      default -> throw new IllegalArgumentException(this + " is not an enqueue script");
    };
  }

  byte[] source() {
    return source.clone();
  }

  /**
   * The Redis command the script calls on {@code line} (1-based, as Redis counts lines of the
   * source it was sent), upper case, or null when that line calls none.
   */
  String commandAt(int line) {
    String[] lines = new String(source, StandardCharsets.UTF_8).split("\n", -1);
    if (line < 1 || line > lines.length) {
      return null;
    }
    java.util.regex.Matcher m = CALL.matcher(lines[line - 1]);
    return m.find() ? m.group(1).toUpperCase(java.util.Locale.ROOT) : null;
  }

  /**
   * Where {@code line} of the source as sent (1-based) comes from, e.g. {@code "lib_keys.lua line
   * 11"} for a line of a prepended library, {@code "retry.lua line 30"} for one of the script's
   * own.
   */
  String locate(int line) {
    int rest = line;
    for (int i = 0; i < parts.size(); i++) {
      if (rest <= partLines[i] || i == parts.size() - 1) {
        return parts.get(i) + " line " + rest;
      }
      rest -= partLines[i];
    }
    return file + " line " + line;
  }

  private static final java.util.regex.Pattern CALL =
      java.util.regex.Pattern.compile("redis\\.p?call\\(\\s*[\"']([A-Za-z]+)[\"']");

  String sha() {
    return sha;
  }

  @Override
  public String toString() {
    return file;
  }

  private static byte[] load(String file) {
    try (InputStream in = Script.class.getResourceAsStream("/io/jasynq/scripts/" + file)) {
      if (in == null) {
        throw new IllegalStateException("missing script resource io/jasynq/scripts/" + file);
      }
      // Normalise line endings so the SHA is the same whatever checkout produced the file.
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("\r\n", "\n")
          .getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read script " + file, e);
    }
  }

  private static String sha1Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every Java platform", e);
    }
  }
}
