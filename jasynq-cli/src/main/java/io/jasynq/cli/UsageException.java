package io.jasynq.cli;

/**
 * A flag's value the command cannot use, found after parsing: reported like picocli's own usage
 * errors, one line naming the flag and the value typed, exit status 2.
 */
final class UsageException extends RuntimeException {
  UsageException(String message) {
    super(message);
  }

  UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
