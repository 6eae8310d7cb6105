package dev.kappa.reprocessing.query;

import java.time.Instant;
import java.util.Objects;

/**
 * The value of one window of a windowed or session table.
 *
 * @param start the window's start, inclusive
 * @param end the window's end, exclusive for windows, the last record's time for sessions
 * @param value the aggregate
 * @param <V> the value type
 */
public record WindowValue<V>(Instant start, Instant end, V value) {

  /** Checks the parts. */
  public WindowValue {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(value, "value");
  }
}
