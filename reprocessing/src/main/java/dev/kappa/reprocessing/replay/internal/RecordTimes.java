package dev.kappa.reprocessing.replay.internal;

import dev.kappa.topology.Source;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;

/**
 * The event time of a source record as the job sees it, read from its bytes before Kafka Streams
 * reads it: the source's event-time function applied to the deserialized value, or the record
 * timestamp for a source that declares none.
 *
 * <p>A record whose value cannot be read or is refused (see {@link Source#valueDeserializer()}), is
 * absent or has no time has {@link #NO_TIME}: the job sends it to its dead-letter topic or treats
 * it by its record timestamp, which for a bulk-loaded topic says nothing about event time, so
 * alignment lets it through at once instead of holding a partition behind a time it does not have.
 *
 * <p>Reading the time deserializes the value a second time (Kafka Streams deserializes it again to
 * process it); this is the cost of alignment per record, and only paid while a version aligns.
 * Thread-safe as far as the sources' deserializers are (Kafka's and Jackson's are).
 */
public final class RecordTimes {

  /** The time of a record that has none the job could read. */
  public static final long NO_TIME = Long.MIN_VALUE;

  private final Map<String, TimeOf> byTopic;

  private RecordTimes(Map<String, TimeOf> byTopic) {
    this.byTopic = Map.copyOf(byTopic);
  }

  /** The times of the records of {@code sources}. */
  public static RecordTimes of(List<Source<?, ?>> sources) {
    Map<String, TimeOf> byTopic = new HashMap<>();
    for (Source<?, ?> source : sources) {
      byTopic.put(source.topic(), timeOf(source));
    }
    return new RecordTimes(byTopic);
  }

  private static <V> TimeOf timeOf(Source<?, V> source) {
    Function<V, @Nullable Instant> eventTime = source.eventTime();
    if (eventTime == null) {
      return ConsumerRecord::timestamp;
    }
    // Refuses what the job's source refuses: a record it dead-letters has no time.
    Deserializer<V> values = source.valueDeserializer();
    return record -> {
      if (record.value() == null) {
        return NO_TIME;
      }
      try {
        V value = values.deserialize(record.topic(), record.headers(), record.value());
        Instant time = value == null ? null : eventTime.apply(value);
        return time == null ? NO_TIME : time.toEpochMilli();
      } catch (RuntimeException unreadable) {
        // The job's deserialization handler sends it to the dead-letter topic.
        return NO_TIME;
      }
    };
  }

  /**
   * The event time of {@code record} in milliseconds since the epoch, or {@link #NO_TIME}.
   *
   * @throws IllegalArgumentException if its topic is not a source
   */
  public long of(ConsumerRecord<byte[], byte[]> record) {
    TimeOf time = byTopic.get(record.topic());
    if (time == null) {
      throw new IllegalArgumentException(
          "Topic '" + record.topic() + "' is not a source; the sources are " + byTopic.keySet());
    }
    return time.of(record);
  }

  /** Whether {@code topic} is a source. */
  public boolean isSource(String topic) {
    return byTopic.containsKey(topic);
  }

  @FunctionalInterface
  private interface TimeOf {
    long of(ConsumerRecord<byte[], byte[]> record);
  }
}
