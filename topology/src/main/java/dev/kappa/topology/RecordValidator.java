package dev.kappa.topology;

import java.util.Optional;

/**
 * Decides whether a record is valid for a job, and if not, why. Used by {@link
 * JobStreamsBuilder#validate}: an invalid record goes to the job's dead-letter topic with the
 * reason, instead of on through the topology.
 *
 * <pre>{@code
 * RecordValidator<String, UsageEvent> validator = (customer, event) ->
 *     event.bytes() < 0 ? Optional.of("bytes must not be negative, was " + event.bytes()) : Optional.empty();
 * }</pre>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface RecordValidator<K, V> {

  /**
   * Returns why the record is invalid, or empty if it is valid. Called only for records with a
   * value; a record without a value (a tombstone) is always invalid.
   */
  Optional<String> problem(K key, V value);
}
