package dev.kappa.reprocessing.query;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One row of a serving table: a key and its value, or for a windowed table a key, a window and its
 * value.
 *
 * @param key the key
 * @param start the window's start; null in a key-value table
 * @param end the window's end; null in a key-value table
 * @param value the value
 * @param <K> the key type
 */
public record TableRow<K>(K key, @Nullable Instant start, @Nullable Instant end, Object value) {

  /** Checks the parts. */
  public TableRow {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}
