package dev.kappa.topology.internal;

import java.time.Instant;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.jspecify.annotations.Nullable;

/**
 * Reads the event time of a record from its deserialized value, or falls back to the record
 * timestamp when the value or its time is missing (the job's validation then decides whether such a
 * record is valid).
 */
public final class EventTimeExtractor<V> implements TimestampExtractor {

  private final Function<V, @Nullable Instant> eventTime;

  public EventTimeExtractor(Function<V, @Nullable Instant> eventTime) {
    this.eventTime = eventTime;
  }

  @Override
  @SuppressWarnings("unchecked")
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    Object value = record.value();
    if (value == null) {
      return record.timestamp();
    }
    Instant time = eventTime.apply((V) value);
    return time == null ? record.timestamp() : time.toEpochMilli();
  }
}
