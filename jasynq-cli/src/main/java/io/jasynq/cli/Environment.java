package io.jasynq.cli;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the command line reads from outside its arguments: environment variables, the home directory
 * (for the default config file), the clock (for "3 minutes ago") and standard input ({@code
 * --payload-file -}). Tests pass their own.
 */
record Environment(Map<String, String> variables, Path home, Clock clock, InputStream stdin) {
  /** Without standard input (reads of it see an empty stream). */
  Environment(Map<String, String> variables, Path home, Clock clock) {
    this(variables, home, clock, InputStream.nullInputStream());
  }

  /** The real process environment. */
  static Environment system() {
    return new Environment(
        System.getenv(),
        Path.of(System.getProperty("user.home", ".")),
        Clock.systemUTC(),
        System.in);
  }

  /** A variable's value, or null when unset or blank. */
  @Nullable String variable(String name) {
    String value = variables.get(name);
    return value == null || value.isBlank() ? null : value;
  }
}
