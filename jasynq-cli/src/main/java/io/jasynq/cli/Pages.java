package io.jasynq.cli;

import io.jasynq.Page;

/** {@code --page} and {@code --size} checked as flags: a bad one is a usage error naming it. */
final class Pages {
  private Pages() {}

  static Page of(int page, int size) {
    if (page < 1) {
      throw new UsageException("--page must be 1 or more, was \"" + page + "\"");
    }
    if (size < 0) {
      throw new UsageException("--size must be 0 (all) or more, was \"" + size + "\"");
    }
    return Page.of(page, size);
  }
}
