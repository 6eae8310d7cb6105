package dev.kappa.reprocessing.replay.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;

/**
 * The committed and end offsets of a version's source partitions as the cluster last answered, for
 * only as long as that answer is recent. An old answer says a partition is at its end that may have
 * records by now: while the cluster cannot be reached (a broker restarts), the offsets are taken as
 * unknown, so that the gates align and hold back to the frontiers the instances last published
 * instead of passing records on as if every other partition were at its end. Thread-safe.
 */
final class CheckedOffsets {

  private final long staleAfterNanos;
  private final LongSupplier nanoTime;
  private volatile Snapshot latest = new Snapshot(Map.of(), 0);

  /**
   * Offsets that are forgotten {@code staleAfter} after the check that asked for them began.
   *
   * @throws IllegalArgumentException if {@code staleAfter} is not positive
   */
  CheckedOffsets(Duration staleAfter, LongSupplier nanoTime) {
    if (staleAfter.isNegative() || staleAfter.isZero()) {
      throw new IllegalArgumentException("staleAfter must be positive, was " + staleAfter);
    }
    this.staleAfterNanos = staleAfter.toNanos();
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  /** The time to pass to {@link #answered} when a check begins. */
  long checkBegins() {
    return nanoTime.getAsLong();
  }

  /** Keeps what the check that began at {@code askedAt} was told. */
  void answered(long askedAt, Map<TopicPartition, SharedPositions.Offsets> offsets) {
    latest = new Snapshot(Map.copyOf(offsets), askedAt);
  }

  /** The offsets of the latest check, or none if it began more than the bound ago. */
  Map<TopicPartition, SharedPositions.Offsets> current() {
    Snapshot snapshot = latest;
    return nanoTime.getAsLong() - snapshot.askedAt() > staleAfterNanos
        ? Map.of()
        : snapshot.offsets();
  }

  private record Snapshot(Map<TopicPartition, SharedPositions.Offsets> offsets, long askedAt) {}
}
