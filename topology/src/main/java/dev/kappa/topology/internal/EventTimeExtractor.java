package dev.kappa.topology.internal;

import java.time.Instant;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.jspecify.annotations.Nullable;

/**
 * Reads the event time of a record from its deserialized value. A record without a value or without
 * a time takes the latest event time read from its partition (or 0 before any), so that it neither
 * moves time forward nor arrives late; the job's validation then decides whether it is valid. (The
 * record timestamp would mix clocks: in a bulk-loaded topic it is when the record was loaded.)
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
    Instant time = value == null ? null : eventTime.apply((V) value);
    return time == null ? Math.max(partitionTime, 0) : time.toEpochMilli();
  }
}
