package dev.kappa.examples.networkusage;

/**
 * The usage of a node, an agent or the whole network in one window: the sum of the bytes and the
 * number of readings.
 *
 * @param bytes the sum of the bytes of the readings
 * @param readings the number of readings
 */
public record Usage(long bytes, long readings) {

  /** No usage: where every window starts. */
  public static final Usage NONE = new Usage(0, 0);

  /** This usage with one more reading. */
  public Usage add(UsageEvent reading) {
    return new Usage(bytes + reading.bytes(), readings + 1);
  }

  /** The usage of this window and {@code other} together: how partial usages add up. */
  public Usage plus(Usage other) {
    return new Usage(bytes + other.bytes, readings + other.readings);
  }
}
