package dev.kappa.examples.networkusage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kappa.embedded.EmbeddedKafkaExtension;
import dev.kappa.examples.networkusage.UsageGenerator.GeneratedRecord;
import dev.kappa.examples.networkusage.UsageGenerator.Kind;
import dev.kappa.examples.networkusage.UsageGenerator.Mix;
import dev.kappa.examples.networkusage.UsageGenerator.Shape;
import dev.kappa.serde.JsonSerde;
import dev.kappa.topology.JobTopology;
import dev.kappa.topology.ServingTable;
import dev.kappa.topology.deadletter.DeadLetter;
import dev.kappa.topology.runtime.JobConfig;
import dev.kappa.topology.runtime.RunningJob;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network-usage job end to end on a real broker under exactly-once: a fixed generated workload
 * in, the serving tables out, compared with totals computed here from the same generated records.
 */
class NetworkUsageJobIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
  private static final int READINGS = 30_000;
  // 30,000 readings over 3 minutes of event time; 5 % up to 10 s out of order, well within grace.
  private static final Duration CLOCK_STEP = Duration.ofMillis(6);
  private static final Mix MIX = new Mix(0.05, Duration.ofSeconds(10), 0.005, 0.005);
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final long MAX_BACKLOG = 1_500;

  private static final List<GeneratedRecord> WORKLOAD = new ArrayList<>();

  @TempDir Path stateDir;

  @BeforeAll
  static void generateWorkload() {
    kafka.get().createTopic(NetworkUsageJob.USAGE_EVENTS.topic(), 3, Map.of("retention.ms", "-1"));
    kafka.get().createTopic(NetworkUsageJob.NODE_ALARMS.topic(), 3, Map.of("retention.ms", "-1"));
    UsageGenerator generator = new UsageGenerator(2026, Shape.of(50_000, 300, 12), MIX);
    for (int i = 0; i < READINGS; i++) {
      WORKLOAD.addAll(generator.next(START.plus(CLOCK_STEP.multipliedBy(i))));
    }
  }

  @Test
  void shouldServeExactlyTheTotalsOfTheWorkloadAndDeadLetterEveryMalformedRecord() {
    List<UsageEvent> readings = of(Kind.READING, GeneratedRecord::reading);
    long malformed = WORKLOAD.stream().filter(record -> record.kind() == Kind.MALFORMED).count();
    assertThat(malformed).isPositive();
    JobTopology topology = NetworkUsageJob.job().topology();

    try (RunningJob job =
        RunningJob.start(
            topology,
            JobConfig.builder(kafka.bootstrapServers()).stateDirectory(stateDir).build())) {
      job.awaitRunning(TIMEOUT);
      produceLive(job);
      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  servedReadings(job.streams()) == readings.size()
                      && job.deadLetters().total() == malformed);
      // Each table is fed by its own repartition topic, so one may still be a poll behind.
      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                assertThat(served(job.streams(), NetworkUsageJob.USAGE_BY_NODE))
                    .isEqualTo(expected(readings, UsageEvent::nodeId));
                assertThat(served(job.streams(), NetworkUsageJob.USAGE_BY_AGENT))
                    .isEqualTo(expected(readings, UsageEvent::agentId));
                assertThat(served(job.streams(), NetworkUsageJob.USAGE_NETWORK))
                    .isEqualTo(expected(readings, event -> NetworkUsageJob.NETWORK));
              });
      // Nothing lost: every reading was counted, every malformed record dead-lettered, none dropped
      // late.
      List<DeadLetter> letters =
          readAll(topology.deadLetterTopic(), (int) malformed).stream()
              .map(record -> DeadLetter.of(record.key(), record.value(), record.headers()))
              .toList();
      assertThat(letters).hasSize((int) malformed);
      assertThat(readings.size() + letters.size())
          .isEqualTo(
              WORKLOAD.stream().filter(record -> record.topic().equals("usage-events")).count());
      assertThat(job.droppedRecords()).isEqualTo(malformed);
      assertAlarmsJoinedWithEveryNearbyReading(readings);
    }
  }

  /**
   * Produces the workload in event-time order while the job runs, never more than {@link
   * #MAX_BACKLOG} readings ahead of what it has committed: live processing. (A backlog read at full
   * speed lets one partition's event time run ahead of another's, so that windows close early; that
   * is the replay problem, not what this test is about.)
   */
  private static void produceLive(RunningJob job) {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            5,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
      long producedReadings = 0;
      for (GeneratedRecord record : WORKLOAD) {
        producer.send(record.toProducerRecord());
        if (record.topic().equals(NetworkUsageJob.USAGE_EVENTS.topic())
            && ++producedReadings % 500 == 0) {
          producer.flush();
          long ahead = producedReadings - MAX_BACKLOG;
          await()
              .atMost(TIMEOUT)
              .until(() -> job.committedPosition(NetworkUsageJob.USAGE_EVENTS.topic()) >= ahead);
        }
      }
    }
  }

  private void assertAlarmsJoinedWithEveryNearbyReading(List<UsageEvent> readings) {
    List<NodeAlarm> alarms = of(Kind.ALARM, GeneratedRecord::alarm);
    Set<String> expectedPairs = new HashSet<>();
    for (NodeAlarm alarm : alarms) {
      for (UsageEvent reading : readings) {
        if (reading.nodeId().equals(alarm.nodeId())
            && Duration.between(alarm.timestamp(), reading.timestamp())
                    .abs()
                    .compareTo(Duration.ofSeconds(10))
                <= 0) {
          expectedPairs.add(pair(alarm, reading));
        }
      }
    }
    assertThat(expectedPairs).isNotEmpty();
    JsonSerde<AlarmWithUsage> serde = JsonSerde.of(AlarmWithUsage.class);
    Set<String> joinedPairs = new HashSet<>();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              for (ConsumerRecord<byte[], byte[]> record : readAll("alarms-with-usage", 0)) {
                AlarmWithUsage joined = serde.deserialize("alarms-with-usage", record.value());
                if (joined.reading() != null) {
                  joinedPairs.add(pair(joined.alarm(), joined.reading()));
                } else {
                  // Reported alone only if no reading of its node was near it.
                  assertThat(expectedPairs).noneMatch(p -> p.startsWith(joined.alarm().toString()));
                }
              }
              assertThat(joinedPairs).isEqualTo(expectedPairs);
            });
  }

  private static String pair(NodeAlarm alarm, UsageEvent reading) {
    return alarm + " with " + reading;
  }

  private static <T> List<T> of(Kind kind, Function<GeneratedRecord, T> content) {
    return WORKLOAD.stream().filter(record -> record.kind() == kind).map(content).toList();
  }

  /** Totals per key and window start, computed from the generated readings. */
  private static Map<String, Map<Instant, Usage>> expected(
      List<UsageEvent> readings, Function<UsageEvent, String> key) {
    Map<String, Map<Instant, Usage>> totals = new TreeMap<>();
    for (UsageEvent reading : readings) {
      long minute = reading.timestamp().toEpochMilli() / 60_000 * 60_000;
      totals
          .computeIfAbsent(key.apply(reading), k -> new TreeMap<>())
          .merge(
              Instant.ofEpochMilli(minute),
              new Usage(reading.bytes(), 1),
              (a, b) -> new Usage(a.bytes() + b.bytes(), a.readings() + b.readings()));
    }
    return totals;
  }

  /** Every window of a serving table, per key and window start. */
  private static Map<String, Map<Instant, Usage>> served(
      KafkaStreams streams, ServingTable<String, Usage> table) {
    ReadOnlyWindowStore<String, Usage> store =
        streams.store(
            StoreQueryParameters.fromNameAndType(table.name(), QueryableStoreTypes.windowStore()));
    Map<String, Map<Instant, Usage>> windows = new TreeMap<>();
    try (KeyValueIterator<Windowed<String>, Usage> all =
        store.fetchAll(START.minus(Duration.ofHours(1)), START.plus(Duration.ofHours(1)))) {
      all.forEachRemaining(
          window ->
              windows
                  .computeIfAbsent(window.key.key(), k -> new TreeMap<>())
                  .put(window.key.window().startTime(), window.value));
    }
    return windows;
  }

  private static long servedReadings(KafkaStreams streams) {
    try {
      return served(streams, NetworkUsageJob.USAGE_NETWORK).values().stream()
          .flatMap(windows -> windows.values().stream())
          .mapToLong(Usage::readings)
          .sum();
    } catch (InvalidStateStoreException notReadyYet) {
      return -1;
    }
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int atLeast) {
    return kafka.get().readCommitted(topic, atLeast, TIMEOUT);
  }
}
