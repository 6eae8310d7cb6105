package dev.kappa.topology.internal;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * A partial aggregate of one window: what some records added to the window that starts at {@code
 * windowStart}. Partials of a window merge into its total in any order, which is what lets a task
 * aggregate its own records before they cross a repartition topic.
 *
 * @param windowStart the start of the window, in epoch milliseconds
 * @param value the partial aggregate
 * @param <A> the aggregate
 */
public record WindowPartial<A>(long windowStart, A value) {

  /** Checks that the value is present. */
  public WindowPartial {
    Objects.requireNonNull(value, "value");
  }

  /**
   * A serde that writes the window start as 8 bytes, then the value with {@code values}: what the
   * partials of a window aggregation write to their repartition topic.
   */
  public static <A> Serde<WindowPartial<A>> serde(Serde<A> values) {
    Serializer<A> valueWriter = values.serializer();
    Deserializer<A> valueReader = values.deserializer();
    Serializer<WindowPartial<A>> writer =
        (topic, partial) -> {
          if (partial == null) {
            return null;
          }
          byte[] value = valueWriter.serialize(topic, partial.value());
          return ByteBuffer.allocate(Long.BYTES + value.length)
              .putLong(partial.windowStart())
              .put(value)
              .array();
        };
    Deserializer<WindowPartial<A>> reader = (topic, bytes) -> read(topic, bytes, valueReader);
    return Serdes.serdeFrom(writer, reader);
  }

  private static <A> @Nullable WindowPartial<A> read(
      String topic, byte @Nullable [] bytes, Deserializer<A> values) {
    if (bytes == null) {
      return null;
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    long start = buffer.getLong();
    byte[] value = new byte[buffer.remaining()];
    buffer.get(value);
    return new WindowPartial<>(start, values.deserialize(topic, value));
  }
}
