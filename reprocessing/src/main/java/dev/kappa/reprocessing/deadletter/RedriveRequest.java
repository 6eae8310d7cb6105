package dev.kappa.reprocessing.deadletter;

import org.jspecify.annotations.Nullable;

/**
 * A dead letter of a version to send back to its source topic, by its partition and offset in the
 * version's dead-letter topic, either as it is or with a new value (the fix).
 *
 * <pre>{@code
 * RedriveRequest.of(0, 2).withValue(fixed.getBytes(StandardCharsets.UTF_8));
 * }</pre>
 *
 * @param partition the letter's partition in the dead-letter topic, 0 or more
 * @param offset its offset there, 0 or more
 * @param value the value to send instead of the letter's, or null to send the letter's own
 */
public record RedriveRequest(int partition, long offset, byte @Nullable [] value) {

  /** Checks the partition and offset. */
  public RedriveRequest {
    if (partition < 0) {
      throw new IllegalArgumentException(
          "Bad partition " + partition + " of a dead letter: partitions are numbered from 0");
    }
    if (offset < 0) {
      throw new IllegalArgumentException(
          "Bad offset " + offset + " of a dead letter: offsets are numbered from 0");
    }
  }

  /** The letter at {@code partition} and {@code offset}, to send with its own value. */
  public static RedriveRequest of(int partition, long offset) {
    return new RedriveRequest(partition, offset, null);
  }

  /** A copy that sends {@code value} instead of the letter's value. */
  public RedriveRequest withValue(byte[] value) {
    return new RedriveRequest(partition, offset, value.clone());
  }
}
