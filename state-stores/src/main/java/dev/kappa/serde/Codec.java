package dev.kappa.serde;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A Kafka {@link Serde} together with the Java type it reads and writes.
 *
 * <p>Topics, stores and serving tables are declared with a codec for their keys and one for their
 * values, so that the serving layer can parse a key given as text into the declared type, and so
 * that one declaration carries both the wire format and the type.
 *
 * <pre>{@code
 * Codec<String> customers = Codec.string();
 * Codec<UsageEvent> events = Codec.json(UsageEvent.class);
 * }</pre>
 *
 * @param type the Java type of the values; never null
 * @param serde the serde that writes and reads values of {@code type}; never null
 * @param <T> the type
 */
public record Codec<T>(Class<T> type, Serde<T> serde) {

  /** Checks that neither component is null. */
  public Codec {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(serde, "serde");
  }

  /** UTF-8 strings; bytes that are not valid UTF-8 fail to read (see {@link Utf8Serde}). */
  public static Codec<String> string() {
    return new Codec<>(String.class, Utf8Serde.INSTANCE);
  }

  /** 64-bit integers, big-endian. */
  public static Codec<Long> longs() {
    return new Codec<>(Long.class, Serdes.Long());
  }

  /** 32-bit integers, big-endian. */
  public static Codec<Integer> integers() {
    return new Codec<>(Integer.class, Serdes.Integer());
  }

  /**
   * JSON documents mapped to {@code type} by {@link JsonSerde}, for records and Java time types.
   */
  public static <T> Codec<T> json(Class<T> type) {
    return new Codec<>(type, JsonSerde.of(type));
  }

  /** A codec for a serde of the caller's choice. */
  public static <T> Codec<T> of(Class<T> type, Serde<T> serde) {
    return new Codec<>(type, serde);
  }
}
