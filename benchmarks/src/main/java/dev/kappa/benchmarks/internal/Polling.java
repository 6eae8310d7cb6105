package dev.kappa.benchmarks.internal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for a condition outside the measured span: polled, with a line every 10 s. */
public final class Polling {

  private static final Duration POLL = Duration.ofMillis(250);
  private static final Duration REPORT = Duration.ofSeconds(10);

  private Polling() {}

  /**
   * Polls {@code done} every 250 ms until it is true.
   *
   * @throws IllegalStateException if it is not within {@code timeout}, naming {@code what}
   */
  public static void until(String what, Duration timeout, PrintStream out, BooleanSupplier done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long reported = System.nanoTime();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Gave up waiting until " + what + ": not within " + timeout);
      }
      if (System.nanoTime() - reported > REPORT.toNanos()) {
        out.println("  waiting until " + what + " ...");
        reported = System.nanoTime();
      }
      sleep(POLL);
    }
  }

  /** Sleeps for {@code duration}; an interrupt ends it with an {@link IllegalStateException}. */
  public static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting", e);
    }
  }
}
