package dev.kappa.reprocessing.replay.internal;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * What an {@link EventTimeGate} holds back: the records held now, those held so far, and for how
 * long at least one was. Not thread-safe: the gate's lock guards it.
 */
final class HoldTally {

  private final LongSupplier nanoTime;
  private int now;
  private long total;
  private long nanos;
  private long since;

  HoldTally(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** The records held now. */
  int now() {
    return now;
  }

  /** The records counted as held so far. */
  long total() {
    return total;
  }

  /** Counts {@code records} more as held. */
  void count(long records) {
    total += records;
  }

  /** Notes {@code delta} more records held now (fewer, if negative). */
  void add(int delta) {
    int before = now;
    now += delta;
    if (before == 0 && now > 0) {
      since = nanoTime.getAsLong();
    } else if (before > 0 && now == 0) {
      nanos += nanoTime.getAsLong() - since;
    }
  }

  /** For how long, so far, at least one record was held. */
  Duration time() {
    long held = nanos;
    if (now > 0) {
      held += nanoTime.getAsLong() - since;
    }
    return Duration.ofNanos(held);
  }
}
