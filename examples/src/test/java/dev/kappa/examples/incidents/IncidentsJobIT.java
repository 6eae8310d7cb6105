package dev.kappa.examples.incidents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kappa.embedded.EmbeddedKafkaExtension;
import dev.kappa.topology.runtime.JobConfig;
import dev.kappa.topology.runtime.RunningJob;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incidents job on a real broker under exactly-once: two hours of wind readings from 12 sites
 * in 6 areas and 200 emergency calls, each call sent up to 2 minutes after or before its time
 * (disorder between the streams within the grace), and the incidents served equal to those computed
 * here.
 */
class IncidentsJobIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
  private static final Duration SPAN = Duration.ofHours(2);
  private static final int SITES = 12;
  private static final int AREAS = 6;
  private static final int CALLS = 200;
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  /** Records sent before waiting for the job to commit them: a live feed, not a backlog. */
  private static final int BATCH = 5;

  @TempDir Path stateDir;

  @Test
  void shouldServeEveryIncidentOfTheFeedWhateverTheOrderOfTheStreams() {
    for (String topic :
        List.of(IncidentsJob.WIND_READINGS.topic(), IncidentsJob.EMERGENCY_CALLS.topic())) {
      kafka.get().createTopic(topic, 3, Map.of("retention.ms", "-1"));
    }
    Random random = new Random(2026);
    List<WindReading> winds = winds(random);
    List<EmergencyCall> calls = calls(random);
    Map<String, Incident> expected = expected(winds, calls);
    assertThat(expected).hasSizeGreaterThan(5);

    try (RunningJob job =
        RunningJob.start(
            IncidentsJob.v1().topology(),
            JobConfig.builder(kafka.bootstrapServers()).stateDirectory(stateDir).build())) {
      job.awaitRunning(TIMEOUT);
      produceLive(job, sendingOrder(winds, calls, random));

      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> assertThat(served(job.streams())).isEqualTo(expected));
      assertThat(job.droppedRecords()).isZero();
      assertThat(job.deadLetters().total()).isZero();
    }
  }

  /** Every site every 10 minutes; about a third of the readings are strong gales or worse. */
  private static List<WindReading> winds(Random random) {
    List<WindReading> winds = new ArrayList<>();
    for (Instant time = START; time.isBefore(START.plus(SPAN)); time = time.plusSeconds(600)) {
      for (int site = 0; site < SITES; site++) {
        double speed = Math.round(random.nextDouble(5, 30) * 10) / 10.0;
        winds.add(new WindReading("s-" + site, "area-" + site % AREAS, speed, time));
      }
    }
    return winds;
  }

  private static List<EmergencyCall> calls(Random random) {
    List<EmergencyCall> calls = new ArrayList<>();
    for (int call = 0; call < CALLS; call++) {
      Instant time = START.plusSeconds(random.nextLong(SPAN.toSeconds()));
      calls.add(new EmergencyCall("c-" + call, "area-" + random.nextInt(AREAS), time));
    }
    return calls;
  }

  /** Each high wind with the calls of its area from its time to 10 minutes after, by id. */
  private static Map<String, Incident> expected(
      List<WindReading> winds, List<EmergencyCall> calls) {
    Map<String, Incident> incidents = new TreeMap<>();
    for (WindReading wind : winds) {
      if (wind.metresPerSecond() < IncidentsJob.STRONG_GALE) {
        continue;
      }
      for (EmergencyCall call : calls) {
        if (call.area().equals(wind.area())
            && !call.timestamp().isBefore(wind.timestamp())
            && !call.timestamp().isAfter(wind.timestamp().plus(Duration.ofMinutes(10)))) {
          incidents.merge(
              Incident.idOf(wind),
              Incident.NONE.with(new CallAfterWind(wind, call)),
              (incident, more) -> incident.with(new CallAfterWind(wind, call)));
        }
      }
    }
    return incidents;
  }

  /**
   * The records in the order they are sent: readings at their time, each call at its time moved by
   * up to 2 minutes either way, so that calls arrive before their readings, or late.
   */
  private static List<ProducerRecord<String, byte[]>> sendingOrder(
      List<WindReading> winds, List<EmergencyCall> calls, Random random) {
    record Timed(Instant sendAt, ProducerRecord<String, byte[]> record) {}
    List<Timed> timed = new ArrayList<>();
    for (WindReading wind : winds) {
      byte[] value = IncidentsJob.WIND_READINGS.values().serde().serializer().serialize(null, wind);
      timed.add(
          new Timed(
              wind.timestamp(),
              new ProducerRecord<>(IncidentsJob.WIND_READINGS.topic(), wind.siteId(), value)));
    }
    for (EmergencyCall call : calls) {
      byte[] value =
          IncidentsJob.EMERGENCY_CALLS.values().serde().serializer().serialize(null, call);
      timed.add(
          new Timed(
              call.timestamp().plusSeconds(random.nextInt(-120, 121)),
              new ProducerRecord<>(IncidentsJob.EMERGENCY_CALLS.topic(), call.callId(), value)));
    }
    timed.sort(Comparator.comparing(Timed::sendAt));
    return timed.stream().map(Timed::record).toList();
  }

  /** Sends {@link #BATCH} records at a time, each batch once the job has committed the last. */
  private static void produceLive(RunningJob job, List<ProducerRecord<String, byte[]>> records) {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      Map<String, Long> sent = new TreeMap<>();
      for (int i = 0; i < records.size(); i++) {
        ProducerRecord<String, byte[]> record = records.get(i);
        producer.send(record);
        sent.merge(record.topic(), 1L, Long::sum);
        if ((i + 1) % BATCH == 0 || i == records.size() - 1) {
          producer.flush();
          await()
              .atMost(TIMEOUT)
              .until(
                  () ->
                      sent.entrySet().stream()
                          .allMatch(
                              topic -> job.committedPosition(topic.getKey()) >= topic.getValue()));
        }
      }
    }
  }

  private static Map<String, Incident> served(KafkaStreams streams) {
    Map<String, Incident> incidents = new TreeMap<>();
    try {
      ReadOnlyKeyValueStore<String, Incident> store =
          streams.store(
              StoreQueryParameters.fromNameAndType(
                  IncidentsJob.INCIDENTS.name(), QueryableStoreTypes.keyValueStore()));
      try (KeyValueIterator<String, Incident> all = store.all()) {
        all.forEachRemaining(incident -> incidents.put(incident.key, incident.value));
      }
    } catch (InvalidStateStoreException notReadyYet) {
      return Map.of();
    }
    return incidents;
  }
}
