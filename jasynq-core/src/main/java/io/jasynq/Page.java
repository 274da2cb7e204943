package io.jasynq;

/**
 * Which slice of a listing an {@link Inspector} returns: page {@code number} (1-based) of {@code
 * size} entries. Page 1 holds the oldest entries: the oldest pending or active tasks, the lowest
 * scores of a sorted set (ties ordered by task ID bytes), the oldest group members; for {@link
 * Inspector#schedulerHistory} the newest events. Pages are counted exactly as Go Asynq counts them,
 * so page {@code n} of size {@code s} holds entries {@code (n-1)*s} to {@code n*s-1}, and every
 * entry can be reached (there is no cap on the page number).
 *
 * <p>A size of 0 means "every entry" (as Asynq's {@code PageSize(0)}); the page number is then
 * ignored. Unlike Asynq, which quietly turns a negative size into 0 and a page number below 1 into
 * a shifted page, these are rejected.
 *
 * @param number the page number, 1 for the first
 * @param size the most entries on a page, or 0 for every entry
 * @since 0.1
 */
public record Page(int number, int size) {
  /** The page size Asynq's Inspector and CLI use by default: 30. */
  public static final int DEFAULT_SIZE = 30;

  /**
   * Validates.
   *
   * @throws IllegalArgumentException if {@code number < 1} or {@code size < 0}
   */
  public Page {
    if (number < 1) {
      throw new IllegalArgumentException("page number must be >= 1, was " + number);
    }
    if (size < 0) {
      throw new IllegalArgumentException("page size must be >= 0 (0 = every entry), was " + size);
    }
  }

  /**
   * Page {@code number} (1-based) of {@code size} entries.
   *
   * @throws IllegalArgumentException if {@code number < 1} or {@code size < 0}
   */
  public static Page of(int number, int size) {
    return new Page(number, size);
  }

  /**
   * The first page of {@code size} entries.
   *
   * @throws IllegalArgumentException if {@code size < 0}
   */
  public static Page first(int size) {
    return new Page(1, size);
  }

  /** The first page of {@value #DEFAULT_SIZE} entries, Asynq's default. */
  public static Page first() {
    return new Page(1, DEFAULT_SIZE);
  }

  /** Every entry at once. */
  public static Page all() {
    return new Page(1, 0);
  }

  /** The page after this one, of the same size. */
  public Page next() {
    return new Page(Math.addExact(number, 1), size);
  }

  /** Whether this page holds every entry (size 0). */
  public boolean isAll() {
    return size == 0;
  }

  /** The 0-based rank of the page's first entry. */
  long start() {
    return isAll() ? 0 : (long) (number - 1) * size;
  }

  /**
   * The 0-based rank of the page's last entry, or -1 for "to the end" when it holds every entry.
   */
  long stop() {
    return isAll() ? -1 : start() + size - 1;
  }
}
