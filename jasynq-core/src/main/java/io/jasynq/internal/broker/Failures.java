package io.jasynq.internal.broker;

import io.jasynq.JasynqException;
import io.lettuce.core.RedisException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** How the broker's operations read a failed call: unwrapped, and wrong key types recognised. */
final class Failures {
  private Failures() {}

  /** {@code error} without its {@link CompletionException}/{@link ExecutionException} wrappers. */
  static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /** {@code error} as a {@link WrongKeyTypeException} if a script refused a wrong-typed key. */
  static WrongKeyTypeException wrongKeyType(String operation, Throwable error) {
    Throwable e = unwrap(error);
    if (e instanceof WrongKeyTypeException wrong) {
      return wrong;
    }
    Throwable cause = e instanceof JasynqException && e.getCause() != null ? e.getCause() : e;
    return cause instanceof RedisException
        ? WrongKeyTypeException.ofReply(operation, cause.getMessage(), cause)
        : null;
  }

  /** {@code error} unwrapped, as a {@link WrongKeyTypeException} if it is one. */
  static Throwable translated(String operation, Throwable error) {
    WrongKeyTypeException wrong = wrongKeyType(operation, error);
    return wrong != null ? wrong : unwrap(error);
  }
}
