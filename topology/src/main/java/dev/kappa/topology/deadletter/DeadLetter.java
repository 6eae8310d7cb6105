package dev.kappa.topology.deadletter;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

/**
 * A record of a dead-letter topic, read back: the original key and value bytes and where the record
 * came from and why it failed, from the headers Kafka Streams' dead-letter support writes.
 *
 * <pre>{@code
 * for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
 *     DeadLetter letter = DeadLetter.of(record.key(), record.value(), record.headers());
 *     log.warn("{} at {}-{}@{}: {}", letter.exceptionClass(), letter.sourceTopic(),
 *         letter.sourcePartition(), letter.sourceOffset(), letter.message());
 * }
 * }</pre>
 *
 * @param key the key bytes as they were read from the source topic
 * @param value the value bytes as they were read from the source topic
 * @param sourceTopic the topic the record was read from
 * @param sourcePartition its partition
 * @param sourceOffset its offset
 * @param exceptionClass the class name of the exception that sent it here
 * @param message the exception's message
 * @param sourceTimestamp the timestamp of the record in its source topic, or -1 if the dead letter
 *     does not say (the dead letter's own timestamp is when it was sent, see {@link
 *     #TIMESTAMP_HEADER})
 * @param valueSize the size in bytes of the record's value: more than {@code value.length} when the
 *     dead letter holds only its start (see {@link #MAX_VALUE_BYTES}), -1 without a value
 */
public record DeadLetter(
    byte @Nullable [] key,
    byte @Nullable [] value,
    String sourceTopic,
    int sourcePartition,
    long sourceOffset,
    String exceptionClass,
    @Nullable String message,
    long sourceTimestamp,
    int valueSize) {

  /** The header with the source topic. */
  public static final String TOPIC_HEADER = "__streams.errors.topic";

  /** The header with the source partition. */
  public static final String PARTITION_HEADER = "__streams.errors.partition";

  /** The header with the source offset. */
  public static final String OFFSET_HEADER = "__streams.errors.offset";

  /** The header with the exception's class name. */
  public static final String EXCEPTION_HEADER = "__streams.errors.exception";

  /** The header with the exception's message. */
  public static final String MESSAGE_HEADER = "__streams.errors.message";

  /**
   * The header with the record's timestamp in its source topic. A dead letter is timestamped when
   * it is sent, not with its record's (event) time: a replay of month-old records must not write
   * dead letters that the topic's time-based retention deletes at once.
   */
  public static final String TIMESTAMP_HEADER = "kappa.errors.timestamp";

  /**
   * The header present when the dead letter holds only the start of its record's value: the value's
   * size in bytes. The whole record is in its source topic, at the partition and offset of the
   * headers.
   */
  public static final String VALUE_SIZE_HEADER = "kappa.errors.value.size";

  /**
   * The most bytes of a record's value that a dead letter holds: 512 KiB, so that a dead letter
   * fits a producer request and a topic at Kafka's defaults (1 MiB) with its key and headers.
   */
  public static final int MAX_VALUE_BYTES = 512 * 1024;

  /**
   * Reads a dead letter from a record of a dead-letter topic.
   *
   * @throws IllegalArgumentException if a header of the dead-letter format is missing
   */
  public static DeadLetter of(byte @Nullable [] key, byte @Nullable [] value, Headers headers) {
    return new DeadLetter(
        key,
        value,
        required(headers, TOPIC_HEADER),
        Integer.parseInt(required(headers, PARTITION_HEADER)),
        Long.parseLong(required(headers, OFFSET_HEADER)),
        required(headers, EXCEPTION_HEADER),
        optional(headers, MESSAGE_HEADER),
        Optional.ofNullable(optional(headers, TIMESTAMP_HEADER)).map(Long::parseLong).orElse(-1L),
        Optional.ofNullable(optional(headers, VALUE_SIZE_HEADER))
            .map(Integer::parseInt)
            .orElse(value == null ? -1 : value.length));
  }

  /**
   * {@code letters} as Kafka Streams built them, timestamped now instead of with their records'
   * timestamps, which go into {@link #TIMESTAMP_HEADER}, and with a value over {@link
   * #MAX_VALUE_BYTES} cut to that size, its size in {@link #VALUE_SIZE_HEADER}.
   */
  static List<ProducerRecord<byte[], byte[]>> sentNow(
      List<ProducerRecord<byte[], byte[]>> letters) {
    long now = System.currentTimeMillis();
    List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>(letters.size());
    for (ProducerRecord<byte[], byte[]> letter : letters) {
      Headers headers = new RecordHeaders(letter.headers().toArray());
      if (letter.timestamp() != null) {
        headers.add(TIMESTAMP_HEADER, letter.timestamp().toString().getBytes(UTF_8));
      }
      byte[] value = letter.value();
      if (value != null && value.length > MAX_VALUE_BYTES) {
        headers.add(VALUE_SIZE_HEADER, Integer.toString(value.length).getBytes(UTF_8));
        value = Arrays.copyOf(value, MAX_VALUE_BYTES);
      }
      sent.add(
          new ProducerRecord<>(
              letter.topic(), letter.partition(), now, letter.key(), value, headers));
    }
    return sent;
  }

  /** The value as UTF-8 text, for logs and tests; null if there is no value. */
  public @Nullable String valueAsText() {
    return value == null ? null : new String(value, UTF_8);
  }

  private static String required(Headers headers, String name) {
    String value = optional(headers, name);
    if (value == null) {
      throw new IllegalArgumentException(
          "Not a dead letter: the record has no '" + name + "' header");
    }
    return value;
  }

  private static @Nullable String optional(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null ? null : new String(header.value(), UTF_8);
  }
}
