package io.jasynq.bench;

/** One benchmark: runs against a flushed Redis and reports one line. */
interface Scenario {
  /** The name used by {@code --scenarios} and in the {@code "scenario"} field. */
  String name();

  /**
   * Runs once. Must finish within {@code context.timeout()} (reporting what it got) and leave no
   * client, server or thread behind.
   */
  JsonLine run(BenchContext context) throws Exception;
}
