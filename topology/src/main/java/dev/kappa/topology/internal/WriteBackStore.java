package dev.kappa.topology.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.jspecify.annotations.Nullable;

/**
 * A logged key-value store that keeps its writes as objects until the task commits, and writes them
 * to the store below, which logs them to its changelog, when Kafka Streams flushes the caches of
 * the task before the commit: as Kafka Streams' record cache does, but without serializing every
 * write. Under exactly-once the writes therefore reach the changelog in the transaction of the
 * records that made them; a task closed without a commit drops them, as it drops its cache.
 *
 * <p>What this relies on: Kafka Streams flushes every registered store that is a {@code
 * CachedStateStore} (an internal interface of Kafka Streams, which {@link WrappedStateStore}
 * implements) before it commits a task, and clears it when it drops a task's uncommitted state. The
 * crash tests of the partial aggregations ({@code KilledInstanceIT}) check that this still holds
 * after an upgrade of Kafka Streams.
 */
public final class WriteBackStore<K, V>
    extends WrappedStateStore<TimestampedKeyValueStore<K, V>, K, ValueAndTimestamp<V>>
    implements TimestampedKeyValueStore<K, V> {

  /** Writes not yet written below: a value, or empty for a deletion. */
  private final Map<K, Optional<ValueAndTimestamp<V>>> writes = new HashMap<>();

  private WriteBackStore(TimestampedKeyValueStore<K, V> below) {
    super(below);
  }

  /**
   * A builder of such stores named {@code name}: on the heap, logged, with {@code keys} and {@code
   * values} for the store below and its changelog.
   */
  public static <K, V> StoreBuilder<TimestampedKeyValueStore<K, V>> builder(
      String name, Serde<K> keys, Serde<V> values) {
    StoreBuilder<TimestampedKeyValueStore<K, V>> below =
        Stores.timestampedKeyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, values)
            .withLoggingEnabled(Map.of())
            .withCachingDisabled();
    return new Builder<>(below);
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    writes.clear();
    super.init(context, root);
  }

  @Override
  public void put(K key, @Nullable ValueAndTimestamp<V> value) {
    Objects.requireNonNull(key, "key");
    writes.put(key, Optional.ofNullable(value));
  }

  @Override
  public @Nullable ValueAndTimestamp<V> putIfAbsent(K key, ValueAndTimestamp<V> value) {
    ValueAndTimestamp<V> present = get(key);
    if (present == null) {
      put(key, value);
    }
    return present;
  }

  @Override
  public void putAll(List<KeyValue<K, ValueAndTimestamp<V>>> entries) {
    entries.forEach(entry -> put(entry.key, entry.value));
  }

  @Override
  public @Nullable ValueAndTimestamp<V> delete(K key) {
    ValueAndTimestamp<V> present = get(key);
    writes.put(key, Optional.empty());
    return present;
  }

  @Override
  public @Nullable ValueAndTimestamp<V> get(K key) {
    Optional<ValueAndTimestamp<V>> written = writes.get(key);
    if (written != null) {
      return written.orElse(null);
    }
    return wrapped().get(key);
  }

  @Override
  public KeyValueIterator<K, ValueAndTimestamp<V>> range(K from, K to) {
    writeBack();
    return wrapped().range(from, to);
  }

  @Override
  public KeyValueIterator<K, ValueAndTimestamp<V>> all() {
    writeBack();
    return wrapped().all();
  }

  @Override
  public long approximateNumEntries() {
    writeBack();
    return wrapped().approximateNumEntries();
  }

  /** Writes every write below, where it is logged: called before every commit of the task. */
  @Override
  public void flushCache() {
    writeBack();
    super.flushCache();
  }

  /** Drops the writes: the task's uncommitted state is being dropped. */
  @Override
  public void clearCache() {
    writes.clear();
    super.clearCache();
  }

  private void writeBack() {
    if (writes.isEmpty()) {
      return;
    }
    writes.forEach(
        (key, value) -> {
          if (value.isPresent()) {
            wrapped().put(key, value.get());
          } else {
            wrapped().delete(key);
          }
        });
    writes.clear();
  }

  /** Builds a {@link WriteBackStore} over the store {@code below} builds. */
  private static final class Builder<K, V> implements StoreBuilder<TimestampedKeyValueStore<K, V>> {

    private final StoreBuilder<TimestampedKeyValueStore<K, V>> below;

    Builder(StoreBuilder<TimestampedKeyValueStore<K, V>> below) {
      this.below = below;
    }

    @Override
    public StoreBuilder<TimestampedKeyValueStore<K, V>> withCachingEnabled() {
      throw new UnsupportedOperationException(
          "A write-back store is its own cache; Kafka Streams' record cache cannot be added");
    }

    @Override
    public StoreBuilder<TimestampedKeyValueStore<K, V>> withCachingDisabled() {
      return this;
    }

    @Override
    public StoreBuilder<TimestampedKeyValueStore<K, V>> withLoggingEnabled(
        Map<String, String> config) {
      return new Builder<>(below.withLoggingEnabled(config));
    }

    @Override
    public StoreBuilder<TimestampedKeyValueStore<K, V>> withLoggingDisabled() {
      throw new UnsupportedOperationException(
          "A write-back store must be logged: its writes are kept only until the next commit");
    }

    @Override
    public TimestampedKeyValueStore<K, V> build() {
      return new WriteBackStore<>(below.build());
    }

    @Override
    public Map<String, String> logConfig() {
      return below.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
      return below.loggingEnabled();
    }

    @Override
    public String name() {
      return below.name();
    }
  }
}
