package dev.kappa.examples.rollups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kappa.embedded.EmbeddedKafkaExtension;
import dev.kappa.topology.ServingTable;
import dev.kappa.topology.runtime.JobConfig;
import dev.kappa.topology.runtime.RunningJob;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The time-rollups job on a real broker under exactly-once: two hours of readings from 20 meters
 * across the end of October, already in the log when the job starts, and every level of the rollup
 * equal to the totals computed here from the same readings.
 */
class RollupsJobIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final Instant START = Instant.parse("2026-10-31T23:00:00Z");
  private static final Duration SPAN = Duration.ofHours(2);
  private static final Duration EVERY = Duration.ofSeconds(30);
  private static final int METERS = 20;
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @TempDir Path stateDir;

  @Test
  void shouldServeEveryLevelExactlyAsTheReadingsAddUp() {
    kafka.get().createTopic(RollupsJob.METER_READINGS.topic(), 3, Map.of("retention.ms", "-1"));
    List<MeterReading> readings = readings();
    produce(readings);

    try (RunningJob job =
        RunningJob.start(
            RollupsJob.v1().topology(),
            JobConfig.builder(kafka.bootstrapServers()).stateDirectory(stateDir).build())) {
      job.awaitRunning(TIMEOUT);
      // Each level follows the one below a second later: wait for the months, then all agree.
      Map<String, Map<Instant, Energy>> months = expected(readings, RollupsJobIT::month);
      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () ->
                  assertThat(served(job.streams(), RollupsJob.ENERGY_BY_MONTH)).isEqualTo(months));
      assertThat(served(job.streams(), RollupsJob.ENERGY_BY_DAY))
          .isEqualTo(expected(readings, time -> time.truncatedTo(ChronoUnit.DAYS)));
      assertThat(served(job.streams(), RollupsJob.ENERGY_BY_HOUR))
          .isEqualTo(expected(readings, time -> time.truncatedTo(ChronoUnit.HOURS)));
      assertThat(served(job.streams(), RollupsJob.ENERGY_BY_MINUTE))
          .isEqualTo(expected(readings, time -> time.truncatedTo(ChronoUnit.MINUTES)));
      assertThat(months.values())
          .allSatisfy(byMonth -> assertThat(byMonth).hasSize(2)); // October and November
      assertThat(job.droppedRecords()).isZero();
      assertThat(job.deadLetters().total()).isZero();
    }
  }

  /** Every meter every 30 s, with a random energy; every 50th reading is a calibration pulse. */
  private static List<MeterReading> readings() {
    Random random = new Random(2026);
    List<MeterReading> readings = new ArrayList<>();
    for (Instant time = START; time.isBefore(START.plus(SPAN)); time = time.plus(EVERY)) {
      for (int meter = 0; meter < METERS; meter++) {
        readings.add(
            new MeterReading(
                "m-" + meter,
                (long) random.nextInt(1_000),
                readings.size() % 50 == 0,
                time.plusMillis(random.nextInt(1_000))));
      }
    }
    return readings;
  }

  /** In event-time order per meter, so per partition: a backlog with nothing late in it. */
  private static void produce(List<MeterReading> readings) {
    Serializer<MeterReading> values = RollupsJob.METER_READINGS.values().serde().serializer();
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            5);
    try (KafkaProducer<String, MeterReading> producer =
        new KafkaProducer<>(config, new StringSerializer(), values)) {
      for (MeterReading reading : readings) {
        producer.send(
            new ProducerRecord<>(
                RollupsJob.METER_READINGS.topic(),
                null,
                reading.timestamp().toEpochMilli(),
                reading.meterId(),
                reading));
      }
    }
  }

  private static Instant month(Instant time) {
    return time.atZone(ZoneOffset.UTC)
        .toLocalDate()
        .withDayOfMonth(1)
        .atStartOfDay(ZoneOffset.UTC)
        .toInstant();
  }

  /** Per meter and window start (as {@code window} gives it), computed from the readings. */
  private static Map<String, Map<Instant, Energy>> expected(
      List<MeterReading> readings, UnaryOperator<Instant> window) {
    Map<String, Map<Instant, Energy>> totals = new TreeMap<>();
    for (MeterReading reading : readings) {
      totals
          .computeIfAbsent(reading.meterId(), meter -> new TreeMap<>())
          .merge(window.apply(reading.timestamp()), Energy.NONE.add(reading), Energy::plus);
    }
    return totals;
  }

  /** Every window of a serving table from October on, per meter and window start. */
  private static Map<String, Map<Instant, Energy>> served(
      KafkaStreams streams, ServingTable<String, Energy> table) {
    Map<String, Map<Instant, Energy>> windows = new TreeMap<>();
    try {
      ReadOnlyWindowStore<String, Energy> store =
          streams.store(
              StoreQueryParameters.fromNameAndType(
                  table.name(), QueryableStoreTypes.windowStore()));
      try (KeyValueIterator<Windowed<String>, Energy> all =
          store.fetchAll(Instant.parse("2026-10-01T00:00:00Z"), START.plus(SPAN))) {
        all.forEachRemaining(
            window ->
                windows
                    .computeIfAbsent(window.key.key(), meter -> new TreeMap<>())
                    .put(window.key.window().startTime(), window.value));
      }
    } catch (InvalidStateStoreException notReadyYet) {
      return Map.of();
    }
    return windows;
  }
}
