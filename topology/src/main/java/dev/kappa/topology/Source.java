package dev.kappa.topology;

import dev.kappa.serde.Codec;
import dev.kappa.topology.internal.CheckedValueDeserializer;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;

/**
 * A retained input topic of a job, with the codecs of its keys and values and, optionally, where
 * the event time of a record is found.
 *
 * <p>Replaying a job reads its sources from the earliest offset, so a source is a topic whose
 * retention covers what the job needs. A source without an event-time function uses the record
 * timestamp.
 *
 * <p>A source refuses, as it reads them, records that would harm the job: a value larger than
 * {@link #maxValueBytes} (256 KiB unless set), and an event time outside its {@link
 * EventTimeBounds} (from 2000 to one day ahead of the clock unless set). Such a record goes to the
 * job's dead-letter topic with the reason, as a record that cannot be parsed does.
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
 *     case the record takes the latest event time read from its partition
 * @param eventTimeBounds the event times accepted, checked only when {@code eventTime} is set
 * @param maxValueBytes the largest value accepted, in bytes
 * @param <K> the key type
 * @param <V> the value type
 */
public record Source<K, V>(
    String topic,
    Codec<K> keys,
    Codec<V> values,
    @Nullable Function<V, @Nullable Instant> eventTime,
    EventTimeBounds eventTimeBounds,
    int maxValueBytes) {

  /** The largest value a source accepts unless set otherwise: 256 KiB. */
  public static final int DEFAULT_MAX_VALUE_BYTES = 256 * 1024;

  /** Checks the topic name, that the codecs and bounds are present and the size is positive. */
  public Source {
    Names.checkName(topic, "source topic");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(eventTimeBounds, "eventTimeBounds");
    if (maxValueBytes <= 0) {
      throw new IllegalArgumentException("maxValueBytes must be positive, was " + maxValueBytes);
    }
  }

  /** A source whose records carry their event time as the record timestamp. */
  public static <K, V> Source<K, V> of(String topic, Codec<K> keys, Codec<V> values) {
    return new Source<>(
        topic, keys, values, null, EventTimeBounds.DEFAULT, DEFAULT_MAX_VALUE_BYTES);
  }

  /** This source, with the event time of each record read from its value. */
  public Source<K, V> withEventTime(Function<V, @Nullable Instant> eventTime) {
    return new Source<>(
        topic,
        keys,
        values,
        Objects.requireNonNull(eventTime, "eventTime"),
        eventTimeBounds,
        maxValueBytes);
  }

  /** This source, accepting the event times of {@code bounds}. */
  public Source<K, V> withEventTimeBounds(EventTimeBounds bounds) {
    return new Source<>(topic, keys, values, eventTime, bounds, maxValueBytes);
  }

  /** This source, accepting values of up to {@code maxBytes} bytes. */
  public Source<K, V> withMaxValueBytes(int maxBytes) {
    return new Source<>(topic, keys, values, eventTime, eventTimeBounds, maxBytes);
  }

  /**
   * Reads this source's values as a job does: with the values' codec, refusing (with a {@link
   * dev.kappa.topology.deadletter.RefusedRecordException}) a value over {@link #maxValueBytes} and
   * an event time outside {@link #eventTimeBounds}.
   */
  public Deserializer<V> valueDeserializer() {
    return new CheckedValueDeserializer<>(
        values.serde().deserializer(),
        maxValueBytes,
        eventTime,
        eventTimeBounds,
        System::currentTimeMillis);
  }
}
