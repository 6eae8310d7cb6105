package dev.kappa.benchmarks.scenarios;

import dev.kappa.examples.networkusage.UsageEvent;

/**
 * The filter of the filter scenarios: readings of at least 100 bytes, about 74 % of the workload
 * (its sizes are log-uniform from 65 bytes to 1 MB).
 */
public final class LargeReadings {

  /** The smallest reading kept. */
  public static final long MIN_BYTES = 100;

  private LargeReadings() {}

  /** Whether the filter keeps {@code reading}. */
  public static boolean keep(String customer, UsageEvent reading) {
    return reading.bytes() != null && reading.bytes() >= MIN_BYTES;
  }
}
