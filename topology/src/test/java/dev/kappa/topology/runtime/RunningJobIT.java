package dev.kappa.topology.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kappa.embedded.EmbeddedKafkaExtension;
import dev.kappa.serde.Codec;
import dev.kappa.topology.JobTopology;
import dev.kappa.topology.KappaException;
import dev.kappa.topology.KappaJob;
import dev.kappa.topology.ServingTable;
import dev.kappa.topology.Sink;
import dev.kappa.topology.Source;
import dev.kappa.topology.deadletter.DeadLetter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job against a real broker: topic checks before it starts, and dead letters under exactly-once.
 */
class RunningJobIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path stateDir;

  @Test
  void shouldRefuseToStartWhenASourceTopicDoesNotExist() {
    Source<String, Long> missing =
        Source.of("missing-" + UUID.randomUUID(), Codec.string(), Codec.longs());
    KappaJob job =
        KappaJob.named("reads-missing").source(missing).topology(b -> b.stream(missing)).build();

    assertThatThrownBy(() -> RunningJob.start(job.topology(), config()))
        .isInstanceOf(KappaException.class)
        .hasMessage(
            "Cannot start job 'reads-missing': source topic(s) ["
                + missing.topic()
                + "] do not exist. Create"
                + " them, with the retention the job needs for replay, before starting the job.");
  }

  @Test
  void shouldRefuseToStartAJoinOfTopicsThatAreNotCoPartitioned() {
    Source<String, Long> left = Source.of("left-3", Codec.string(), Codec.longs());
    Source<String, Long> right = Source.of("right-2", Codec.string(), Codec.longs());
    kafka.get().createTopic(left.topic(), 3, Map.of());
    kafka.get().createTopic(right.topic(), 2, Map.of());
    KappaJob job =
        KappaJob.named("joins-mismatched")
            .source(left)
            .source(right)
            .topology(
                b ->
                    b.join(
                        "sums",
                        b.stream(left),
                        b.stream(right),
                        JoinWindows.ofTimeDifferenceWithNoGrace(Duration.ofSeconds(1)),
                        Long::sum,
                        StreamJoined.with(Serdes.String(), Serdes.Long(), Serdes.Long())))
            .build();

    assertThatThrownBy(() -> RunningJob.start(job.topology(), config()))
        .isInstanceOf(KappaException.class)
        .hasMessageStartingWith(
            "Cannot start job 'joins-mismatched': join 'sums' reads 'left-3' (3 partitions) and 'right-2' (2"
                + " partitions), which are not co-partitioned");
  }

  @Test
  void shouldDeadLetterBadRecordsCountThemAndProcessTheRestUnderExactlyOnce() throws Exception {
    Source<String, Long> amounts = Source.of("amounts", Codec.string(), Codec.longs());
    Sink<String, Long> accepted = Sink.of("accepted-amounts", Codec.string(), Codec.longs());
    ServingTable<String, Long> totals =
        ServingTable.keyValue("totals", Codec.string(), Codec.longs());
    kafka.get().createTopic(amounts.topic(), 2, Map.of("retention.ms", "-1"));
    KappaJob job =
        KappaJob.named("amounts")
            .source(amounts)
            .sink(accepted)
            .servingTable(totals)
            .topology(
                b -> {
                  KStream<String, Long> valid =
                      b.validate(
                          "positive-amounts",
                          b.stream(amounts),
                          (key, amount) ->
                              amount > 0
                                  ? Optional.empty()
                                  : Optional.of("amount must be positive, was " + amount));
                  b.to(valid, accepted);
                  b.aggregate(
                      valid.groupByKey(Grouped.as("amounts-by-key")),
                      totals,
                      () -> 0L,
                      (key, amount, total) -> total + amount);
                })
            .build();
    JobTopology topology = job.topology();
    produce(
        amounts.topic(),
        List.of(record("a", longBytes(5)), record("b", longBytes(-1)), record("a", longBytes(7))));

    try (RunningJob running = RunningJob.start(topology, config())) {
      running.awaitRunning(TIMEOUT);
      await().atMost(TIMEOUT).until(() -> total(running.streams(), "a") == 12L);
      // An unreadable record that arrives alone: its dead letter must commit without a later
      // record.
      produce(amounts.topic(), List.of(record("a", "not a long".getBytes(UTF_8))));
      List<DeadLetter> letters = readDeadLetters(topology.deadLetterTopic(), 2);

      assertThat(letters).extracting(DeadLetter::sourceTopic).containsOnly("amounts");
      assertThat(letters)
          .extracting(DeadLetter::exceptionClass)
          .containsExactlyInAnyOrder(
              "org.apache.kafka.common.errors.SerializationException",
              "dev.kappa.topology.deadletter.InvalidRecordException");
      assertThat(running.deadLetters().total()).isEqualTo(2);
      assertThat(running.deadLetters().bySourceTopic()).containsEntry("amounts", 2L);
      assertThat(running.droppedRecords()).isEqualTo(2);
      MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
      Set<ObjectName> published =
          jmx.queryNames(
              new ObjectName("kappa:type=kappa-job-metrics,job=amounts,application-id=amounts,*"),
              null);
      assertThat(published).hasSize(1);
      assertThat(jmx.getAttribute(published.iterator().next(), "dead-letter-records-total"))
          .isEqualTo(2L);
    }
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      var created =
          admin
              .describeTopics(List.of("accepted-amounts", "amounts-dead-letters"))
              .allTopicNames()
              .get();
      assertThat(created.get("accepted-amounts").partitions()).hasSize(2);
      assertThat(created.get("amounts-dead-letters").partitions()).hasSize(2);
      // Kept as long as the source: a replay of its oldest records must not write into a topic
      // whose retention deletes them at once.
      for (String topic : List.of("accepted-amounts", "amounts-dead-letters")) {
        assertThat(kafka.get().topicConfig(topic, TopicConfig.RETENTION_MS_CONFIG))
            .as("retention.ms of %s", topic)
            .isEqualTo("-1");
      }
    }
  }

  private JobConfig config() {
    return JobConfig.builder(kafka.bootstrapServers()).stateDirectory(stateDir).build();
  }

  private static long total(KafkaStreams streams, String key) {
    try {
      ReadOnlyKeyValueStore<String, Long> store =
          streams.store(
              StoreQueryParameters.fromNameAndType("totals", QueryableStoreTypes.keyValueStore()));
      Long total = store.get(key);
      return total == null ? 0 : total;
    } catch (InvalidStateStoreException notReadyYet) {
      return -1;
    }
  }

  private static byte[] longBytes(long value) {
    return Serdes.Long().serializer().serialize("", value);
  }

  private static ProducerRecord<byte[], byte[]> record(String key, byte[] value) {
    return new ProducerRecord<>("amounts", key.getBytes(UTF_8), value);
  }

  private static void produce(String topic, List<ProducerRecord<byte[], byte[]>> records)
      throws Exception {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      for (ProducerRecord<byte[], byte[]> record : records) {
        producer.send(new ProducerRecord<>(topic, record.key(), record.value())).get();
      }
    }
  }

  private static List<DeadLetter> readDeadLetters(String topic, int expected) {
    return kafka.get().readCommitted(topic, expected, TIMEOUT).stream()
        .map(record -> DeadLetter.of(record.key(), record.value(), record.headers()))
        .toList();
  }
}
