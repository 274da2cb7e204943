package io.jasynq.cli;

/** A failure the command line reports as one line and exit status 1, without a stack trace. */
final class CliException extends RuntimeException {
  CliException(String message) {
    super(message);
  }
}
