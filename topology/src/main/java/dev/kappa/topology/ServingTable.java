package dev.kappa.topology;

import dev.kappa.serde.Codec;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A queryable result of a job: a logical table name, the codecs of its keys and values, and its
 * shape (key-value, windowed or session). It is backed by the state store of the same name in
 * whichever version of the job is active.
 *
 * <p>A windowed or session table keeps its windows for the shortest time they need (window size +
 * grace) unless {@link #withRetention(Duration)} asks for longer, so that closed windows stay
 * queryable:
 *
 * <pre>{@code
 * static final ServingTable<String, Usage> USAGE_BY_NODE =
 *     ServingTable.windowed("usage-by-node", Codec.string(), Codec.json(Usage.class))
 *         .withRetention(Duration.ofHours(24));
 * }</pre>
 *
 * @param name the logical table name, which is also the store name
 * @param keys the codec of the keys (a window's key without its window)
 * @param values the codec of the values
 * @param shape key-value, windowed or session
 * @param retention how long windows are kept; null for the shortest retention the windows need.
 *     Always null for key-value tables
 * @param <K> the key type
 * @param <V> the value type
 */
public record ServingTable<K, V>(
    String name, Codec<K> keys, Codec<V> values, Shape shape, @Nullable Duration retention) {

  /** The shape of a serving table, which decides the queries it answers. */
  public enum Shape {
    /** One value per key. */
    KEY_VALUE,
    /** One value per key and time window (tumbling, hopping or sliding). */
    WINDOWED,
    /** One value per key and session. */
    SESSION
  }

  /** Checks the name and the retention. */
  public ServingTable {
    Names.checkName(name, "serving table");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(shape, "shape");
    if (retention != null) {
      if (shape == Shape.KEY_VALUE) {
        throw new IllegalArgumentException(
            "Serving table '"
                + name
                + "' is a key-value table and has no retention; only windowed and"
                + " session tables keep their windows for a time");
      }
      if (retention.isNegative() || retention.isZero()) {
        throw new IllegalArgumentException(
            "Retention of serving table '" + name + "' must be positive, was " + retention);
      }
    }
  }

  /** A table with one value per key. */
  public static <K, V> ServingTable<K, V> keyValue(String name, Codec<K> keys, Codec<V> values) {
    return new ServingTable<>(name, keys, values, Shape.KEY_VALUE, null);
  }

  /** A table with one value per key and time window. */
  public static <K, V> ServingTable<K, V> windowed(String name, Codec<K> keys, Codec<V> values) {
    return new ServingTable<>(name, keys, values, Shape.WINDOWED, null);
  }

  /** A table with one value per key and session. */
  public static <K, V> ServingTable<K, V> session(String name, Codec<K> keys, Codec<V> values) {
    return new ServingTable<>(name, keys, values, Shape.SESSION, null);
  }

  /** This table, keeping its windows for {@code retention}. */
  public ServingTable<K, V> withRetention(Duration retention) {
    return new ServingTable<>(
        name, keys, values, shape, Objects.requireNonNull(retention, "retention"));
  }
}
