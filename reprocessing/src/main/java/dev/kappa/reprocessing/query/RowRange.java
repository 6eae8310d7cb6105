package dev.kappa.reprocessing.query;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The rows of a serving table to read: in a key-value table the keys from {@code fromKey} to {@code
 * toKey} (inclusive; null for open), in a windowed table the windows that start from {@code from}
 * to {@code to} (inclusive).
 *
 * @param fromKey the lowest key of a key-value table, or null
 * @param toKey the highest key of a key-value table, or null
 * @param from the earliest window start of a windowed table
 * @param to the latest window start of a windowed table
 * @param <K> the key type
 */
public record RowRange<K>(@Nullable K fromKey, @Nullable K toKey, Instant from, Instant to) {

  /**
   * Checks the time range.
   *
   * @throws IllegalArgumentException if {@code from} is after {@code to}
   */
  public RowRange {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (from.isAfter(to)) {
      throw new IllegalArgumentException(
          "Invalid time range: from " + from + " is after to " + to + "; swap them");
    }
  }
}
