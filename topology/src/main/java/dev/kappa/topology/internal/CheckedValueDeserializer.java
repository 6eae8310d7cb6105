package dev.kappa.topology.internal;

import dev.kappa.topology.EventTimeBounds;
import dev.kappa.topology.deadletter.RefusedRecordException;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;

/**
 * Reads the values of a source and refuses, with a {@link RefusedRecordException}, a value larger
 * than the source accepts and one whose event time is out of the source's bounds. The size is
 * checked before the value is parsed, so a huge record costs no parsing.
 */
public final class CheckedValueDeserializer<V> implements Deserializer<V> {

  private final Deserializer<V> values;
  private final int maxBytes;
  private final @Nullable Function<V, @Nullable Instant> eventTime;
  private final EventTimeBounds bounds;
  private final LongSupplier clock;

  /**
   * Reads with {@code values}, refusing values over {@code maxBytes} and, when {@code eventTime} is
   * not null, event times outside {@code bounds} by {@code clock} (milliseconds since the epoch).
   */
  public CheckedValueDeserializer(
      Deserializer<V> values,
      int maxBytes,
      @Nullable Function<V, @Nullable Instant> eventTime,
      EventTimeBounds bounds,
      LongSupplier clock) {
    this.values = values;
    this.maxBytes = maxBytes;
    this.eventTime = eventTime;
    this.bounds = bounds;
    this.clock = clock;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    values.configure(configs, isKey);
  }

  @Override
  public @Nullable V deserialize(String topic, byte @Nullable [] data) {
    checkSize(topic, data);
    return checkTime(topic, values.deserialize(topic, data));
  }

  @Override
  public @Nullable V deserialize(String topic, Headers headers, byte @Nullable [] data) {
    checkSize(topic, data);
    return checkTime(topic, values.deserialize(topic, headers, data));
  }

  private void checkSize(String topic, byte @Nullable [] data) {
    if (data != null && data.length > maxBytes) {
      throw new RefusedRecordException(
          topic,
          "the value has "
              + data.length
              + " bytes, more than the "
              + maxBytes
              + " this source accepts; if such records are valid, raise Source.withMaxValueBytes");
    }
  }

  private @Nullable V checkTime(String topic, @Nullable V value) {
    if (value == null || eventTime == null) {
      return value;
    }
    Instant time = eventTime.apply(value);
    if (time != null) {
      bounds
          .problem(time, Instant.ofEpochMilli(clock.getAsLong()))
          .ifPresent(
              problem -> {
                throw new RefusedRecordException(topic, problem);
              });
    }
    return value;
  }

  @Override
  public void close() {
    values.close();
  }
}
