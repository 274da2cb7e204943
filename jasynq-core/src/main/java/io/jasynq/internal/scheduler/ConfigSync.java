package io.jasynq.internal.scheduler;

import io.jasynq.PeriodicTaskConfig;
import io.jasynq.Task;
import io.jasynq.TaskOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a scheduler's entries equal to a provider's configs (wire-format §7.3): each config is
 * known by an identity hash, so an unchanged config keeps its entry ID and history; entries whose
 * config went away are unregistered, new configs registered. Configs that fail to register are
 * logged and skipped. Runs on the manager's thread (guarded by this).
 */
public final class ConfigSync {
  private static final Logger log = LoggerFactory.getLogger(ConfigSync.class);

  /** The scheduler the entries live in. */
  public interface Target {
    /** Registers an entry and returns its ID; throws IllegalArgumentException if invalid. */
    String register(String spec, Task task, List<TaskOption> options);

    /** Removes an entry. */
    void unregister(String entryId);
  }

  private final Target target;
  private final Map<String, String> entryByHash = new HashMap<>(); // guarded by this

  public ConfigSync(Target target) {
    this.target = target;
  }

  /**
   * Checks a provider's answer: a list without null elements.
   *
   * @throws IllegalArgumentException naming the first invalid config
   */
  public static List<PeriodicTaskConfig> validate(List<PeriodicTaskConfig> configs) {
    if (configs == null) {
      throw new IllegalArgumentException("the provider returned null instead of a list");
    }
    for (int i = 0; i < configs.size(); i++) {
      if (configs.get(i) == null) {
        throw new IllegalArgumentException("periodic task config at index " + i + " is null");
      }
    }
    return configs;
  }

  /** Registers new configs and unregisters those that went away; returns how many changed. */
  public synchronized int sync(List<PeriodicTaskConfig> configs) {
    Map<String, PeriodicTaskConfig> wanted = new LinkedHashMap<>();
    for (PeriodicTaskConfig c : configs) {
      wanted.putIfAbsent(hash(c), c); // the same config twice is one entry
    }
    int changes = 0;
    for (String hash : new ArrayList<>(entryByHash.keySet())) {
      if (!wanted.containsKey(hash)) {
        target.unregister(entryByHash.remove(hash));
        changes++;
      }
    }
    for (Map.Entry<String, PeriodicTaskConfig> w : wanted.entrySet()) {
      if (entryByHash.containsKey(w.getKey())) {
        continue;
      }
      PeriodicTaskConfig c = w.getValue();
      try {
        entryByHash.put(w.getKey(), target.register(c.cronSpec(), c.task(), c.options()));
        changes++;
      } catch (RuntimeException e) {
        log.warn(
            "periodic task {} on \"{}\" could not be registered; skipped: {}",
            c.task().type(),
            c.cronSpec(),
            e.getMessage());
      }
    }
    return changes;
  }

  /** The entry ID of each registered config's hash. */
  public synchronized Map<String, String> entries() {
    return Map.copyOf(entryByHash);
  }

  /**
   * The identity of a config (wire-format §7.3): SHA-256 over the spec, the task type, the payload
   * and the option strings sorted. Unlike Asynq's (wire-format §9.14) it also covers the task's
   * headers and its own options, so changing those re-registers the entry.
   */
  public static String hash(PeriodicTaskConfig c) {
    List<String> parts = new ArrayList<>();
    parts.add(c.cronSpec());
    parts.add(c.task().type());
    byte[] payload = c.task().payload();
    parts.add(payload == null ? "-" : "+" + HexFormat.of().formatHex(payload));
    List<String> options = new ArrayList<>(OptionStrings.of(c.options()));
    options.addAll(OptionStrings.of(c.task().options()));
    options.sort(null);
    parts.addAll(options);
    parts.add("|");
    new TreeMap<>(c.task().headers()).forEach((k, v) -> parts.add(k + "=" + v));
    return Entry.sha256(parts);
  }
}
