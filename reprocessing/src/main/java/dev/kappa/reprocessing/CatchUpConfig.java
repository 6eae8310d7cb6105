package dev.kappa.reprocessing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Kafka Streams settings for a version while it catches up on a backlog, over those of the host's
 * {@code JobConfig}: a longer commit interval (fewer transactions, and the record cache and the
 * partials of two-phase aggregations absorb more updates before they are written), a larger record
 * cache, more stream threads, larger producer batches. A host starts a version with them when it
 * has more than the catch-up lag to replay; once the version has caught up, the host restarts the
 * version's Kafka Streams instance with the job's own settings, keeping its local state. The
 * restart takes a rebalance of the version's group, some seconds in which the version's stores do
 * not answer; a swap to the version waits for it.
 *
 * <pre>{@code
 * ReplaySettings settings = ReplaySettings.defaults()
 *     .withCatchUp(CatchUpConfig.none().withCommitInterval(Duration.ofSeconds(1)));
 * }</pre>
 *
 * <p>What each setting gained in the replay of the network-usage job is in BENCHMARKS.md.
 * Immutable.
 */
public final class CatchUpConfig {

  private static final CatchUpConfig NONE = new CatchUpConfig(Map.of());

  private final Map<String, Object> overrides;

  private CatchUpConfig(Map<String, Object> overrides) {
    this.overrides = Map.copyOf(overrides);
  }

  /** No setting of its own: a version catches up with the job's settings. */
  public static CatchUpConfig none() {
    return NONE;
  }

  /** A copy that commits every {@code interval} while catching up. */
  public CatchUpConfig withCommitInterval(Duration interval) {
    requirePositive(interval, "interval");
    return with(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, interval.toMillis());
  }

  /** A copy with a record cache of {@code bytes} (over all stream threads) while catching up. */
  public CatchUpConfig withCacheSize(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("A cache size must be 0 or more bytes, was " + bytes);
    }
    return with(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, bytes);
  }

  /** A copy that runs {@code threads} stream threads while catching up. */
  public CatchUpConfig withStreamThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("Need at least one stream thread, got " + threads);
    }
    return with(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
  }

  /**
   * A copy whose producers wait up to {@code linger} to fill batches of up to {@code batchBytes}
   * while catching up.
   */
  public CatchUpConfig withProducerBatching(Duration linger, int batchBytes) {
    Objects.requireNonNull(linger, "linger");
    if (linger.isNegative() || batchBytes < 1) {
      throw new IllegalArgumentException(
          "Need a linger of 0 or more and a batch of at least one byte, got "
              + linger
              + " and "
              + batchBytes);
    }
    return with(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), linger.toMillis())
        .with(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), batchBytes);
  }

  /** A copy with any other Kafka Streams setting while catching up. */
  public CatchUpConfig with(String key, Object value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Map<String, Object> more = new LinkedHashMap<>(overrides);
    more.put(key, value);
    return new CatchUpConfig(more);
  }

  /** The settings, applied over the job's while a version catches up. */
  public Map<String, Object> overrides() {
    return overrides;
  }

  /** Whether there is no setting. */
  public boolean isEmpty() {
    return overrides.isEmpty();
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CatchUpConfig config && config.overrides.equals(overrides);
  }

  @Override
  public int hashCode() {
    return overrides.hashCode();
  }

  @Override
  public String toString() {
    return isEmpty() ? "none" : new java.util.TreeMap<>(overrides).toString();
  }
}
