package io.jasynq.internal.broker;

import static io.jasynq.internal.broker.ScriptValues.number;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Which script writes an {@link EnqueueRequest}, with which keys and arguments. */
final class EnqueueScripts {
  private EnqueueScripts() {}

  static Script scriptFor(EnqueueRequest r) {
    return switch (r.target()) {
      case PENDING -> Script.ENQUEUE;
      case SCHEDULED -> Script.SCHEDULE;
      case GROUP -> Script.ADD_TO_GROUP;
      case DEBOUNCED -> Script.DEBOUNCE;
    };
  }

  static List<String> keysFor(EnqueueRequest r) {
    List<String> keys = new ArrayList<>(4);
    keys.add(Keys.task(r.queue(), r.id()));
    switch (r.target()) {
      case PENDING -> keys.add(Keys.pending(r.queue()));
      case SCHEDULED -> {
        keys.add(Keys.scheduled(r.queue()));
        keys.add(Keys.groups(r.queue()));
      }
      case GROUP -> {
        keys.add(Keys.group(r.queue(), r.group()));
        keys.add(Keys.groups(r.queue()));
      }
      case DEBOUNCED -> keys.add(Keys.scheduled(r.queue()));
    }
    if (r.uniqueKey() != null) {
      keys.add(r.uniqueKey()); // never an empty key: "" hashes to slot 0 on Cluster
    }
    return keys;
  }

  static List<byte[]> argsFor(EnqueueRequest r) {
    List<byte[]> args = new ArrayList<>(5);
    args.add(r.message());
    args.add(Keys.bytes(r.id()));
    switch (r.target()) {
      case PENDING -> {
        args.add(number(r.nowUnixNanos()));
        if (r.uniqueKey() != null) {
          args.add(number(r.uniqueTtlSeconds()));
        }
      }
      case SCHEDULED -> {
        args.add(number(r.processAtUnix()));
        args.add(Keys.bytes(r.group()));
        if (r.uniqueKey() != null) {
          args.add(number(r.uniqueTtlSeconds()));
        }
      }
      case GROUP -> {
        args.add(number(TimeUnit.NANOSECONDS.toSeconds(r.nowUnixNanos())));
        args.add(Keys.bytes(r.group()));
        if (r.uniqueKey() != null) {
          args.add(number(r.uniqueTtlSeconds()));
        }
      }
      case DEBOUNCED -> {
        args.add(number(r.processAtUnix()));
        args.add(number(TimeUnit.NANOSECONDS.toSeconds(r.nowUnixNanos())));
        args.add(number(r.debounceMaxWaitSeconds()));
        args.add(Keys.bytes(Keys.taskPrefix(r.queue())));
        args.add(number(r.uniqueTtlSeconds()));
      }
    }
    return args;
  }
}
