package dev.kappa.topology;

import dev.kappa.serde.Codec;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A retained input topic of a job, with the codecs of its keys and values and, optionally, where
 * the event time of a record is found.
 *
 * <p>Replaying a job reads its sources from the earliest offset, so a source is a topic whose
 * retention covers what the job needs. A source without an event-time function uses the record
 * timestamp.
 *
 * <pre>{@code
 * static final Source<String, UsageEvent> USAGE_EVENTS =
 *     Source.of("usage-events", Codec.string(), Codec.json(UsageEvent.class))
 *         .withEventTime(UsageEvent::timestamp);
 * }</pre>
 *
 * @param topic the topic name; never null
 * @param keys the codec of the record keys
 * @param values the codec of the record values
 * @param eventTime reads the event time from a value; null to use the record timestamp. It is
 *     called only with non-null values and may return null when the value has no time, in which
 *     case the record timestamp is used
 * @param <K> the key type
 * @param <V> the value type
 */
public record Source<K, V>(
    String topic,
    Codec<K> keys,
    Codec<V> values,
    @Nullable Function<V, @Nullable Instant> eventTime) {

  /** Checks the topic name and that the codecs are present. */
  public Source {
    Names.checkName(topic, "source topic");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(values, "values");
  }

  /** A source whose records carry their event time as the record timestamp. */
  public static <K, V> Source<K, V> of(String topic, Codec<K> keys, Codec<V> values) {
    return new Source<>(topic, keys, values, null);
  }

  /** This source, with the event time of each record read from its value. */
  public Source<K, V> withEventTime(Function<V, @Nullable Instant> eventTime) {
    return new Source<>(topic, keys, values, Objects.requireNonNull(eventTime, "eventTime"));
  }
}
