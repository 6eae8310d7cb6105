package dev.kappa.reprocessing.replay.internal;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka clients of one Kafka Streams instance of a version: the main consumer of each stream
 * thread is a {@link PacedConsumer}, and all of them share one {@link EventTimeGate}; under
 * exactly-once each producer reports the offsets its transactions commit to the gate ({@link
 * CommitReportingProducer}); the admin, restore and global consumers are the plain Kafka clients,
 * made as Kafka Streams' default supplier makes them.
 *
 * <pre>{@code
 * EventTimeGate gate = new EventTimeGate(RecordTimes.of(topology), board, skew, 1_000);
 * PacedClientSupplier.requireClassicProtocol(topology.applicationId(), config.streamsConfig(topology));
 * RunningJob job = RunningJob.start(topology, config, new PacedClientSupplier(gate));
 * }</pre>
 *
 * <p>Alignment needs the classic group protocol: with {@code group.protocol=streams}, Kafka Streams
 * (4.3 and 4.4) makes its main consumer itself and never asks the supplier for it, so nothing would
 * be paced; {@link #requireClassicProtocol} refuses that configuration.
 *
 * <p>Use one supplier, with its own gate, per Kafka Streams instance. Thread-safe: Kafka Streams
 * may ask for clients from several threads.
 */
public final class PacedClientSupplier implements KafkaClientSupplier {

  private final EventTimeGate gate;

  /** Clients whose main consumers are paced by {@code gate}. */
  public PacedClientSupplier(EventTimeGate gate) {
    this.gate = Objects.requireNonNull(gate, "gate");
  }

  /**
   * Checks that the main consumers of a Kafka Streams instance with {@code streamsConfig} come from
   * the client supplier, so that they can be paced.
   *
   * @throws IllegalArgumentException if the configuration selects the streams group protocol
   */
  public static void requireClassicProtocol(String applicationId, Map<String, ?> streamsConfig) {
    Object protocol = streamsConfig.get(StreamsConfig.GROUP_PROTOCOL_CONFIG);
    if (protocol != null && "streams".equalsIgnoreCase(protocol.toString().trim())) {
      throw new IllegalArgumentException(
          "Cannot pace the replay of application '"
              + applicationId
              + "': with "
              + StreamsConfig.GROUP_PROTOCOL_CONFIG
              + "="
              + protocol
              + " Kafka Streams makes its main consumer itself, bypassing the client supplier. Run"
              + " a version with the classic protocol (the default).");
    }
  }

  /** The gate shared by the main consumers, for progress reports. */
  public EventTimeGate gate() {
    return gate;
  }

  @Override
  public Admin getAdmin(Map<String, Object> config) {
    return Admin.create(config);
  }

  @Override
  public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
    Producer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    // Under exactly-once the consumed offsets are committed with each transaction.
    return config.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG)
        ? new CommitReportingProducer(producer, gate)
        : producer;
  }

  @Override
  public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
    return new PacedConsumer(plainConsumer(config), gate, maxPollRecords(config));
  }

  @Override
  public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
    return plainConsumer(config);
  }

  @Override
  public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
    return plainConsumer(config);
  }

  private static Consumer<byte[], byte[]> plainConsumer(Map<String, Object> config) {
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** The main consumer's {@code max.poll.records}, as Kafka Streams configured it. */
  private static int maxPollRecords(Map<String, Object> config) {
    Object value = config.get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG);
    if (value == null) {
      return ConsumerConfig.DEFAULT_MAX_POLL_RECORDS;
    }
    if (value instanceof Number number) {
      return number.intValue();
    }
    try {
      return Integer.parseInt(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          ConsumerConfig.MAX_POLL_RECORDS_CONFIG
              + " of the main consumer must be a whole number, was '"
              + value
              + "'",
          e);
    }
  }

  @Override
  public String toString() {
    return "PacedClientSupplier[" + gate + "]";
  }
}
