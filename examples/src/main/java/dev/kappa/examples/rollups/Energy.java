package dev.kappa.examples.rollups;

/**
 * The energy a meter used in one window, at any level of the rollup: the sum of its readings, how
 * many there were, and the largest single reading.
 *
 * @param wattHours the sum of the readings
 * @param readings the number of readings
 * @param largestReading the largest reading, 0 in a window without readings
 */
public record Energy(long wattHours, long readings, long largestReading) {

  /** No energy: where every window starts. */
  public static final Energy NONE = new Energy(0, 0, 0);

  /** This energy with one more reading, which must be valid. */
  public Energy add(MeterReading reading) {
    long used = reading.wattHours();
    return new Energy(wattHours + used, readings + 1, Math.max(largestReading, used));
  }

  /**
   * This window's energy and {@code other}'s together: how partials, and finer windows into coarser
   * ones, add up. It agrees with {@link #add}: a sum, a count and a maximum add up in any order.
   */
  public Energy plus(Energy other) {
    return new Energy(
        wattHours + other.wattHours,
        readings + other.readings,
        Math.max(largestReading, other.largestReading));
  }
}
