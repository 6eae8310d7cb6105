package dev.kappa.benchmarks.serving;

import java.time.Duration;
import java.util.Arrays;

/**
 * Exact percentiles of a set of latencies: every latency is kept and sorted, nothing is bucketed.
 * Percentiles are nearest-rank: the p-th percentile is the smallest latency that at least p % of
 * the latencies do not exceed. Immutable.
 */
public final class Latencies {

  private static final Latencies NONE = new Latencies(new long[0]);

  private final long[] sortedNanos;

  private Latencies(long[] sortedNanos) {
    this.sortedNanos = sortedNanos;
  }

  /** The latencies {@code nanos}, in nanoseconds; the array is copied. */
  public static Latencies ofNanos(long[] nanos) {
    if (nanos.length == 0) {
      return NONE;
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return new Latencies(sorted);
  }

  /** How many latencies there are. */
  public int count() {
    return sortedNanos.length;
  }

  /**
   * The {@code percent}-th percentile (nearest rank), or zero if there are none.
   *
   * @throws IllegalArgumentException if {@code percent} is not in (0, 100]
   */
  public Duration percentile(double percent) {
    if (!(percent > 0 && percent <= 100)) {
      throw new IllegalArgumentException(
          "Invalid percentile " + percent + ": send a number above 0 and at most 100");
    }
    if (sortedNanos.length == 0) {
      return Duration.ZERO;
    }
    int rank = (int) Math.ceil(percent / 100 * sortedNanos.length);
    return Duration.ofNanos(sortedNanos[Math.max(0, rank - 1)]);
  }

  /** The highest latency, or zero if there are none. */
  public Duration max() {
    return sortedNanos.length == 0
        ? Duration.ZERO
        : Duration.ofNanos(sortedNanos[sortedNanos.length - 1]);
  }

  /** Milliseconds with a fractional part, as the reports print them. */
  public static double millis(Duration duration) {
    return duration.toNanos() / 1e6;
  }
}
