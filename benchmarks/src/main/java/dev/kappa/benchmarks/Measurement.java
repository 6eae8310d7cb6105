package dev.kappa.benchmarks;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What one run of a scenario measured.
 *
 * @param scenario the scenario's id
 * @param repetition which repetition of the run (1 for the first)
 * @param records the records read: every record of the inputs
 * @param elapsed wall time from the first record read to the commit that covers the last one
 * @param recordsPerSecond {@code records} divided by {@code elapsed} in seconds
 * @param cpu CPU time of the process that ran the scenario over the same span
 * @param brokerCpu CPU time of the broker process over the same span; null when the broker is not a
 *     local process of the harness
 * @param peakRssMebibytes the peak resident memory of the process that ran the scenario (its {@code
 *     VmHWM}, reset when the run starts)
 * @param peakHeapMebibytes the peak of the used heap over the run (the sum of each heap pool's
 *     peak, reset when the run starts)
 */
public record Measurement(
    String scenario,
    int repetition,
    long records,
    Duration elapsed,
    double recordsPerSecond,
    Duration cpu,
    @Nullable Duration brokerCpu,
    long peakRssMebibytes,
    long peakHeapMebibytes) {

  /** {@code duration} in seconds, for arithmetic and tables. */
  public static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }
}
