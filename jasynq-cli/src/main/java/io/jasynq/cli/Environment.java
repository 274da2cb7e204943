package io.jasynq.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What the command line reads from outside its arguments: environment variables, the home directory
 * (for the default config file) and the clock (for "3 minutes ago"). Tests pass their own.
 */
record Environment(Map<String, String> variables, Path home, Clock clock) {
  /** The real process environment. */
  static Environment system() {
    return new Environment(
        System.getenv(), Path.of(System.getProperty("user.home", ".")), Clock.systemUTC());
  }

  /** A variable's value, or null when unset or blank. */
  String variable(String name) {
    String value = variables.get(name);
    return value == null || value.isBlank() ? null : value;
  }
}
