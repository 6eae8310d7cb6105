package dev.kappa.reprocessing.replay.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether an {@link EventTimeGate} aligns: on from the start, and whenever the version is behind;
 * off once it has not been for a second and nothing is held. Not thread-safe: the gate guards it.
 */
final class AlignmentSwitch {

  private static final Logger log = LoggerFactory.getLogger(EventTimeGate.class);

  /** How often the mode is checked against the whole version. */
  private static final long CHECK_NANOS = Duration.ofMillis(50).toNanos();

  /** How long every partition must have caught up before alignment is turned off. */
  private static final long SETTLE_NANOS = Duration.ofSeconds(1).toNanos();

  private static final long NOT_CAUGHT_UP = Long.MIN_VALUE;

  private final LongSupplier nanoTime;
  private boolean on = true;
  private long checkedAt;
  private long caughtUpSince = NOT_CAUGHT_UP;
  private long turnedOnAgain;

  AlignmentSwitch(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.checkedAt = nanoTime.getAsLong() - CHECK_NANOS;
  }

  /** Whether alignment is on. */
  boolean on() {
    return on;
  }

  /** How many times alignment was turned on after it had been off. */
  long turnedOnAgain() {
    return turnedOnAgain;
  }

  /** Turns alignment on, for the reason {@code why}. */
  void turnOn(String why) {
    on = true;
    caughtUpSince = NOT_CAUGHT_UP;
    turnedOnAgain++;
    log.info("Aligning again by event time: {}", why);
  }

  /**
   * At most every 50 ms: turns alignment on while {@code behind} gives a reason, off once it has
   * given none for a second and {@code nothingHeld}.
   */
  void check(Supplier<Optional<String>> behind, boolean nothingHeld) {
    long now = nanoTime.getAsLong();
    if (now - checkedAt < CHECK_NANOS) {
      return;
    }
    checkedAt = now;
    Optional<String> why = behind.get();
    if (why.isPresent()) {
      caughtUpSince = NOT_CAUGHT_UP;
      if (!on) {
        turnOn(why.get());
      }
      return;
    }
    if (caughtUpSince == NOT_CAUGHT_UP) {
      caughtUpSince = now;
    }
    if (on && nothingHeld && now - caughtUpSince >= SETTLE_NANOS) {
      on = false;
      log.info("Every source partition has caught up: alignment is off");
    }
  }
}
