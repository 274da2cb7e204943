package io.jasynq.dashboard;

import java.util.function.IntConsumer;

/**
 * Gives tests outside this package the builder's scan seam (called before each page a scan reads).
 */
public final class ScanSeam {
  private ScanSeam() {}

  /** Sets {@code hook} on {@code builder}; returns the builder. */
  public static Dashboard.Builder beforeScanPage(Dashboard.Builder builder, IntConsumer hook) {
    return builder.beforeScanPage(hook);
  }
}
