package io.jasynq.dashboard;

import java.time.Clock;

/** Gives tests outside this package the builder's clock (the dashboard's and its Inspector's). */
public final class ClockSeam {
  private ClockSeam() {}

  /** Sets {@code clock} on {@code builder}; returns the builder. */
  public static Dashboard.Builder clock(Dashboard.Builder builder, Clock clock) {
    return builder.clock(clock);
  }
}
