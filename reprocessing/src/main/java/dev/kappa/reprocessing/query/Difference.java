package dev.kappa.reprocessing.query;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A key (or a key's window) where two versions of a table differ.
 *
 * @param kind how they differ
 * @param key the key
 * @param start the window's start; null in a key-value table
 * @param end the window's end; null in a key-value table
 * @param first the value in the first version; null if it has none
 * @param second the value in the second version; null if it has none
 * @param <K> the key type
 */
public record Difference<K>(
    Kind kind,
    K key,
    @Nullable Instant start,
    @Nullable Instant end,
    @Nullable Object first,
    @Nullable Object second) {

  /** How two versions differ at a key. */
  public enum Kind {
    /** Both have the key, with different values. */
    DIFFERENT,
    /** Only the first version has the key. */
    ONLY_IN_FIRST,
    /** Only the second version has the key. */
    ONLY_IN_SECOND
  }

  /** Checks the parts. */
  public Difference {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(key, "key");
  }
}
