package dev.kappa.benchmarks.flink;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kappa.benchmarks.RunContext;
import dev.kappa.examples.networkusage.NetworkUsageJob;
import dev.kappa.serde.JsonSerde;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The Flink jobs' Kafka sources and sinks for one run, as a Flink user would configure them: a
 * bounded {@link KafkaSource} per input topic (from the earliest offset to the end it finds at
 * start, committing its offsets to the run's group on every checkpoint) with watermarks 30 s behind
 * the largest record timestamp seen, and an exactly-once {@link KafkaSink} per output. Records are
 * JSON written and read with the same Jackson mapper as Kappa's serdes, keys UTF-8 strings.
 */
final class FlinkKafka {

  /** The bounded out-of-orderness of every source: the grace of the Kappa jobs' windows. */
  static final Duration OUT_OF_ORDERNESS =
      Duration.ofMillis(NetworkUsageJob.MINUTES.gracePeriodMs());

  private final RunContext context;

  FlinkKafka(RunContext context) {
    this.context = context;
  }

  /** The run's output topic for the output called {@code name}. */
  String topic(String name) {
    return context.outputTopic(name);
  }

  /** Creates the run's output topics for the outputs called {@code names}. */
  void createOutputs(Collection<String> names) {
    context.createTopics(names.stream().map(this::topic).toList());
  }

  /**
   * The records of {@code topic}, keyed by their Kafka key, values read as {@code type}, event time
   * their timestamps.
   */
  <V> DataStream<Tuple2<String, V>> read(
      StreamExecutionEnvironment env, String topic, Class<V> type) {
    Properties consumer = new Properties();
    // the harness's consumer settings: the interceptor that starts the clock, polls of 1,000
    // records as Kafka Streams'; the source commits to the group itself, when a checkpoint
    // completes
    context.consumerConfig().forEach((key, value) -> consumer.put(key, value.toString()));
    consumer.remove(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
    KafkaSource<Tuple2<String, V>> source =
        KafkaSource.<Tuple2<String, V>>builder()
            .setBootstrapServers(context.bootstrapServers())
            .setTopics(topic)
            .setGroupId(context.group())
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setBounded(OffsetsInitializer.latest())
            .setDeserializer(new JsonRecords<>(type))
            .setProperties(consumer)
            .build();
    return env.fromSource(
            source,
            WatermarkStrategy.<Tuple2<String, V>>forBoundedOutOfOrderness(OUT_OF_ORDERNESS),
            topic)
        .uid("source-" + topic);
  }

  /** Writes {@code stream} exactly once to the run's output called {@code name}. */
  <V> void write(DataStream<Tuple2<String, V>> stream, String name) {
    Properties producer = new Properties();
    context.producerConfig().forEach((key, value) -> producer.put(key, value.toString()));
    // within the broker's transaction.max.timeout.ms (15 min); the sink's default is 1 h
    producer.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "600000");
    KafkaSink<Tuple2<String, V>> sink =
        KafkaSink.<Tuple2<String, V>>builder()
            .setBootstrapServers(context.bootstrapServers())
            .setRecordSerializer(new JsonOutput<>(topic(name)))
            .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
            .setTransactionalIdPrefix(topic(name))
            .setKafkaProducerConfig(producer)
            .build();
    stream.sinkTo(sink).name("sink-" + name).uid("sink-" + name);
  }

  /** The type of a keyed record whose value is {@code type}. */
  static <V> TypeInformation<Tuple2<String, V>> keyed(Class<V> type) {
    return Types.TUPLE(Types.STRING, TypeInformation.of(type));
  }

  /** The JSON mapper of Kappa's serdes, one per JVM (Flink ships the functions serialized). */
  private static final class Mapper {
    static final ObjectMapper JSON = JsonSerde.defaultMapper();
  }

  private static final class JsonRecords<V>
      implements KafkaRecordDeserializationSchema<Tuple2<String, V>> {
    private final Class<V> type;

    JsonRecords(Class<V> type) {
      this.type = type;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Tuple2<String, V>> out)
        throws IOException {
      String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
      out.collect(Tuple2.of(key, Mapper.JSON.readValue(record.value(), type)));
    }

    @Override
    public TypeInformation<Tuple2<String, V>> getProducedType() {
      return keyed(type);
    }
  }

  private static final class JsonOutput<V>
      implements KafkaRecordSerializationSchema<Tuple2<String, V>>, Serializable {
    private final String topic;

    JsonOutput(String topic) {
      this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
        Tuple2<String, V> element, KafkaSinkContext context, Long timestamp) {
      try {
        return new ProducerRecord<>(
            topic,
            null,
            // a window's result carries its last millisecond, which for a day or a month may lie
            // ahead of the broker's clock by more than it accepts (message.timestamp.after.max.ms)
            timestamp == null ? null : Math.min(timestamp, System.currentTimeMillis()),
            element.f0 == null ? null : element.f0.getBytes(StandardCharsets.UTF_8),
            Mapper.JSON.writeValueAsBytes(element.f1));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write " + element + " to " + topic, e);
      }
    }
  }

  /** The settings of a Flink run: RocksDB, exactly-once checkpoints every commit interval. */
  static Map<String, String> configuration(RunContext context) {
    return Map.of(
        "state.backend.type",
        "rocksdb",
        "execution.checkpointing.dir",
        context.stateDirectory().resolve("checkpoints").toUri().toString(),
        "execution.checkpointing.interval",
        context.commitInterval().toMillis() + " ms",
        "execution.checkpointing.mode",
        "EXACTLY_ONCE",
        "execution.checkpointing.incremental",
        "false",
        // RocksDB's memory as Kappa's budget: Flink gives its managed memory to RocksDB
        "taskmanager.memory.managed.size",
        "256m",
        "state.backend.rocksdb.localdir",
        context.stateDirectory().resolve("rocksdb").toString());
  }
}
