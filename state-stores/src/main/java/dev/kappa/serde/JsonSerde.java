package dev.kappa.serde;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.kappa.serde.internal.IsoInstantDeserializer;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * A Kafka serde that writes and reads one Java type as JSON with Jackson.
 *
 * <p>The default mapper reads and writes Java records, {@code java.time} types as ISO-8601 text
 * ({@code "2026-11-22T10:00:00.123Z"}, {@code "PT1M"}) and {@code Optional}; it ignores unknown
 * properties, so that producers may add fields, and it refuses {@code null} for primitive fields
 * and a number with a fraction for an integer field. A {@code null} record (a tombstone) reads and
 * writes as {@code null}.
 *
 * <p>Bytes that are not a valid document for the type fail with a {@link SerializationException}
 * whose message names the type, the topic and what is wrong, for example {@code Cannot read a
 * UsageEvent from topic 'usage-events': Unexpected character ('x') at line 1, column 2}. Kafka
 * Streams hands such a record to the deserialization exception handler, which in a Kappa job sends
 * it to the dead-letter topic.
 *
 * <pre>{@code
 * Serde<UsageEvent> serde = JsonSerde.of(UsageEvent.class);
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param <T> the type
 */
public final class JsonSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

  private static final ObjectMapper DEFAULT_MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(new Jdk8Module())
          // registered after JavaTimeModule, so it reads Instants: the same results, faster
          .addModule(
              new SimpleModule().addDeserializer(Instant.class, new IsoInstantDeserializer()))
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          // 1.5 for an integer is a wrong type, not 1
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .build();

  private final Class<T> type;
  private final ObjectReader reader;
  private final ObjectWriter writer;

  private JsonSerde(Class<T> type, ObjectMapper mapper) {
    this.type = type;
    this.reader = mapper.readerFor(type);
    this.writer = mapper.writerFor(type);
  }

  /** A serde for {@code type} with the default mapper described above. */
  public static <T> JsonSerde<T> of(Class<T> type) {
    return new JsonSerde<>(Objects.requireNonNull(type, "type"), DEFAULT_MAPPER);
  }

  /** A serde for {@code type} with a mapper of the caller's choice. */
  public static <T> JsonSerde<T> of(Class<T> type, ObjectMapper mapper) {
    return new JsonSerde<>(
        Objects.requireNonNull(type, "type"), Objects.requireNonNull(mapper, "mapper"));
  }

  /** The mapper used by {@link #of(Class)}; a copy, so that changing it changes no serde. */
  public static ObjectMapper defaultMapper() {
    return DEFAULT_MAPPER.copy();
  }

  /** The type this serde reads and writes. */
  public Class<T> type() {
    return type;
  }

  @Override
  public byte @Nullable [] serialize(String topic, @Nullable T data) {
    if (data == null) {
      return null;
    }
    try {
      return writer.writeValueAsBytes(data);
    } catch (JsonProcessingException e) {
      throw new SerializationException(
          "Cannot write a "
              + type.getSimpleName()
              + " to topic '"
              + topic
              + "' as JSON: "
              + e.getOriginalMessage(),
          e);
    }
  }

  @Override
  public @Nullable T deserialize(String topic, byte @Nullable [] data) {
    if (data == null) {
      return null;
    }
    try {
      return reader.readValue(data);
    } catch (JacksonException e) {
      String location =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw new SerializationException(
          "Cannot read a "
              + type.getSimpleName()
              + " from topic '"
              + topic
              + "': "
              + field(e)
              + e.getOriginalMessage()
              + location,
          e);
    } catch (IOException e) {
      throw new SerializationException(
          "Cannot read a "
              + type.getSimpleName()
              + " from topic '"
              + topic
              + "': "
              + e.getMessage(),
          e);
    }
  }

  private static String field(JacksonException error) {
    if (!(error instanceof JsonMappingException)
        || ((JsonMappingException) error).getPath().isEmpty()) {
      return "";
    }
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : ((JsonMappingException) error).getPath()) {
      if (reference.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return "field '" + path + "': ";
  }

  @Override
  public Serializer<T> serializer() {
    return this;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    // Configured at construction: the type and mapper are fixed.
  }

  @Override
  public void close() {
    // Nothing to release: the reader and writer hold no resources.
  }

  @Override
  public String toString() {
    return "JsonSerde[" + type.getName() + "]";
  }
}
