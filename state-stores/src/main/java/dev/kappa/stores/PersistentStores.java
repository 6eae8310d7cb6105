package dev.kappa.stores;

import dev.kappa.serde.Codec;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.SlidingWindows;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Persistent RocksDB stores with a changelog: {@link Materialized} for the DSL and {@link
 * StoreBuilder}s for the Processor API, named explicitly, with the serdes of their {@link Codec}s
 * and, for windowed stores, a retention derived from the windows.
 *
 * <p>The retention of a windowed store is the shortest that still holds every window for its whole
 * life, from its start through its end and its grace period: size + grace for time windows, twice
 * the time difference + grace for sliding windows, inactivity gap + grace for sessions. A longer
 * retention keeps closed windows queryable for longer:
 *
 * <pre>{@code
 * TimeWindows minutes = TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), Duration.ofSeconds(30));
 * Materialized<String, Usage, WindowStore<Bytes, byte[]>> store =
 *     PersistentStores.window("usage-by-node", Codec.string(), Codec.json(Usage.class), minutes,
 *         Duration.ofHours(24));
 * }</pre>
 *
 * <p>Every store built here is a RocksDB store (so {@link BoundedMemoryRocksDbConfig} bounds its
 * memory), logs to a changelog topic with the default topic settings, and is cached by Kafka
 * Streams' record cache.
 */
public final class PersistentStores {

  private PersistentStores() {}

  /** A key-value store for {@code KTable}s and {@code KGroupedStream#aggregate}. */
  public static <K, V> Materialized<K, V, KeyValueStore<Bytes, byte[]>> keyValue(
      String name, Codec<K> keys, Codec<V> values) {
    return Materialized.<K, V>as(Stores.persistentTimestampedKeyValueStore(checkName(name)))
        .withKeySerde(keys.serde())
        .withValueSerde(values.serde())
        .withLoggingEnabled(Map.of())
        .withCachingEnabled();
  }

  /** A window store for tumbling or hopping windows, kept for size + grace. */
  public static <K, V> Materialized<K, V, WindowStore<Bytes, byte[]>> window(
      String name, Codec<K> keys, Codec<V> values, TimeWindows windows) {
    return window(name, keys, values, windows, minimumRetention(windows));
  }

  /**
   * A window store for tumbling or hopping windows, kept for {@code retention}.
   *
   * @throws IllegalArgumentException if {@code retention} is shorter than size + grace
   */
  public static <K, V> Materialized<K, V, WindowStore<Bytes, byte[]>> window(
      String name, Codec<K> keys, Codec<V> values, TimeWindows windows, Duration retention) {
    checkRetention(name, retention, minimumRetention(windows), "window size + grace");
    return windowStore(name, keys, values, retention, Duration.ofMillis(windows.size()));
  }

  /** A window store for sliding windows, kept for twice the time difference + grace. */
  public static <K, V> Materialized<K, V, WindowStore<Bytes, byte[]>> window(
      String name, Codec<K> keys, Codec<V> values, SlidingWindows windows) {
    return window(name, keys, values, windows, minimumRetention(windows));
  }

  /**
   * A window store for sliding windows, kept for {@code retention}.
   *
   * @throws IllegalArgumentException if {@code retention} is shorter than twice the time difference
   *     + grace
   */
  public static <K, V> Materialized<K, V, WindowStore<Bytes, byte[]>> window(
      String name, Codec<K> keys, Codec<V> values, SlidingWindows windows, Duration retention) {
    checkRetention(name, retention, minimumRetention(windows), "2 x time difference + grace");
    return windowStore(
        name, keys, values, retention, Duration.ofMillis(windows.timeDifferenceMs()));
  }

  /** A session store, kept for inactivity gap + grace. */
  public static <K, V> Materialized<K, V, SessionStore<Bytes, byte[]>> session(
      String name, Codec<K> keys, Codec<V> values, SessionWindows windows) {
    return session(name, keys, values, windows, minimumRetention(windows));
  }

  /**
   * A session store, kept for {@code retention}.
   *
   * @throws IllegalArgumentException if {@code retention} is shorter than inactivity gap + grace
   */
  public static <K, V> Materialized<K, V, SessionStore<Bytes, byte[]>> session(
      String name, Codec<K> keys, Codec<V> values, SessionWindows windows, Duration retention) {
    checkRetention(name, retention, minimumRetention(windows), "inactivity gap + grace");
    return Materialized.<K, V>as(Stores.persistentSessionStore(checkName(name), retention))
        // Kafka Streams sets the changelog's retention from this, not from the store supplier.
        .withRetention(retention)
        .withKeySerde(keys.serde())
        .withValueSerde(values.serde())
        .withLoggingEnabled(Map.of())
        .withCachingEnabled();
  }

  /** A key-value store for the Processor API. */
  public static <K, V> StoreBuilder<TimestampedKeyValueStore<K, V>> keyValueStoreBuilder(
      String name, Codec<K> keys, Codec<V> values) {
    return Stores.timestampedKeyValueStoreBuilder(
            Stores.persistentTimestampedKeyValueStore(checkName(name)),
            keys.serde(),
            values.serde())
        .withLoggingEnabled(Map.of())
        .withCachingEnabled();
  }

  /** A window store of fixed-size windows for the Processor API, kept for {@code retention}. */
  public static <K, V> StoreBuilder<TimestampedWindowStore<K, V>> windowStoreBuilder(
      String name, Codec<K> keys, Codec<V> values, Duration windowSize, Duration retention) {
    checkRetention(name, retention, windowSize, "window size");
    return Stores.timestampedWindowStoreBuilder(
            Stores.persistentTimestampedWindowStore(checkName(name), retention, windowSize, false),
            keys.serde(),
            values.serde())
        .withLoggingEnabled(Map.of())
        .withCachingEnabled();
  }

  /** A session store for the Processor API, kept for {@code retention}. */
  public static <K, V> StoreBuilder<SessionStore<K, V>> sessionStoreBuilder(
      String name, Codec<K> keys, Codec<V> values, Duration retention) {
    return Stores.sessionStoreBuilder(
            Stores.persistentSessionStore(checkName(name), retention), keys.serde(), values.serde())
        .withLoggingEnabled(Map.of())
        .withCachingEnabled();
  }

  /** Size + grace: the shortest retention that holds a time window for its whole life. */
  public static Duration minimumRetention(TimeWindows windows) {
    return Duration.ofMillis(windows.size() + windows.gracePeriodMs());
  }

  /** Twice the time difference + grace: what sliding-window aggregation needs to look back. */
  public static Duration minimumRetention(SlidingWindows windows) {
    return Duration.ofMillis(2 * windows.timeDifferenceMs() + windows.gracePeriodMs());
  }

  /** Inactivity gap + grace: the shortest retention that holds a session for its whole life. */
  public static Duration minimumRetention(SessionWindows windows) {
    return Duration.ofMillis(windows.inactivityGap() + windows.gracePeriodMs());
  }

  private static <K, V> Materialized<K, V, WindowStore<Bytes, byte[]>> windowStore(
      String name, Codec<K> keys, Codec<V> values, Duration retention, Duration windowSize) {
    return Materialized.<K, V>as(
            Stores.persistentTimestampedWindowStore(checkName(name), retention, windowSize, false))
        // Kafka Streams sets the changelog's retention from this, not from the store supplier.
        .withRetention(retention)
        .withKeySerde(keys.serde())
        .withValueSerde(values.serde())
        .withLoggingEnabled(Map.of())
        .withCachingEnabled();
  }

  private static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (!StoreNames.isValid(name)) {
      throw new IllegalArgumentException(
          "Invalid store name '"
              + name
              + "': "
              + StoreNames.RULE
              + " (its changelog topic is named after it)");
    }
    return name;
  }

  private static void checkRetention(
      String name, Duration retention, Duration minimum, String rule) {
    Objects.requireNonNull(retention, "retention");
    if (retention.compareTo(minimum) < 0) {
      throw new IllegalArgumentException(
          "Cannot keep store '"
              + name
              + "' for "
              + retention
              + ": its windows need at least "
              + minimum
              + " ("
              + rule
              + "). Pass a retention of at least "
              + minimum
              + ".");
    }
  }
}
