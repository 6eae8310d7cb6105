package dev.kappa.examples.failedlogins;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kappa.embedded.EmbeddedKafkaExtension;
import dev.kappa.topology.JobTopology;
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
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
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
 * The failed-logins job on a real broker under exactly-once, three partitions: background traffic
 * that never crosses the threshold, an attack that goes on, one that comes twice, one that stops at
 * ten; then the alerts topic holds exactly one alert per breach and the table the IPs over now.
 * Times are offsets from {@link #START} (10:00:00).
 */
class FailedLoginsJobIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
  private static final int PARTITIONS = 3;
  private static final String TOPIC = FailedLoginsJob.LOGIN_ATTEMPTS.topic();
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  /** A failure every 20 s from 10:02:00 to 10:11:40: one breach, from the 11th (10:05:20). */
  private static final String STEADY = "203.0.113.1";

  /** 11 failures a second apart at 10:05:00 and again at 10:20:00: two breaches. */
  private static final String TWICE = "203.0.113.2";

  /** 10 failures a second apart at 10:06:00: none. */
  private static final String TEN = "203.0.113.3";

  @TempDir Path stateDir;

  @Test
  void shouldAlertOncePerBreachAndServeTheIpsOverTheThresholdNow() {
    kafka.get().createTopic(TOPIC, PARTITIONS, Map.of("retention.ms", "-1"));
    JobTopology topology = FailedLoginsJob.job().topology();
    // One IP per partition, whose failures move the stream time of every task.
    List<String> clocks = onePerPartition();

    try (RunningJob job =
        RunningJob.start(
            topology,
            JobConfig.builder(kafka.bootstrapServers()).stateDirectory(stateDir).build())) {
      job.awaitRunning(TIMEOUT);
      List<LoginAttempt> attacks = new ArrayList<>(background());
      failures(attacks, STEADY, "root", 30, START.plusSeconds(120), Duration.ofSeconds(20));
      failures(attacks, TWICE, "admin", 11, START.plusSeconds(300), Duration.ofSeconds(1));
      failures(attacks, TWICE, "admin", 11, START.plusSeconds(1_200), Duration.ofSeconds(1));
      failures(attacks, TEN, "root", 10, START.plusSeconds(360), Duration.ofSeconds(1));
      clocks.forEach(ip -> failures(attacks, ip, "guest", 1, START.plusSeconds(1_210), null));
      produce(attacks, true);

      List<LoginAlert> expected =
          List.of(
              new LoginAlert(STEADY, START.plusSeconds(320), 11, List.of("root")),
              new LoginAlert(TWICE, START.plusSeconds(310), 11, List.of("admin")),
              new LoginAlert(TWICE, START.plusSeconds(1_210), 11, List.of("admin")));
      // At 10:20:10 STEADY has been under the threshold since 10:18:20; TWICE is over from 10:20:10
      // until its failure at 10:20:00 leaves the 10 minutes, at 10:30:00.
      Breach twiceAgain =
          new Breach(
              TWICE, START.plusSeconds(1_210), START.plusSeconds(1_800), 11, List.of("admin"));
      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(500))
          .ignoreException(InvalidStateStoreException.class)
          .untilAsserted(
              () -> {
                assertThat(alerts(topology, expected.size())).isEqualTo(expected);
                assertThat(overNow(job.streams())).isEqualTo(Map.of(TWICE, twiceAgain));
                assertThat(job.deadLetters().total()).isEqualTo(3);
              });

      // Stream time passes 10:30:00 in every partition: TWICE leaves the table, and no alert comes.
      List<LoginAttempt> later = new ArrayList<>();
      clocks.forEach(ip -> failures(later, ip, "guest", 1, START.plusSeconds(1_801), null));
      produce(later, false);
      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> assertThat(overNow(job.streams())).isEmpty());
      assertThat(alerts(topology, expected.size())).isEqualTo(expected);
      assertThat(job.droppedRecords()).isEqualTo(3); // the dead letters
    }
  }

  /** 30 IPs with 2 to 4 failures and a few successes each, between 10:00 and 10:20. */
  private static List<LoginAttempt> background() {
    Random random = new Random(15);
    List<LoginAttempt> attempts = new ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      String ip = "10.0.0." + i;
      int failures = 2 + random.nextInt(3);
      for (int j = 0; j < failures + 2; j++) {
        Instant time = START.plusMillis(random.nextInt(1_200_000));
        attempts.add(new LoginAttempt(ip, "user-" + i, j >= failures, time));
      }
    }
    return attempts;
  }

  private static void failures(
      List<LoginAttempt> attempts, String ip, String user, int count, Instant from, Duration step) {
    for (int i = 0; i < count; i++) {
      Instant time = step == null ? from : from.plus(step.multipliedBy(i));
      attempts.add(new LoginAttempt(ip, user, false, time));
    }
  }

  /**
   * Produces {@code attempts} in time order (one producer keeps that order in each partition), and
   * first, if asked, three that are invalid.
   */
  private static void produce(List<LoginAttempt> attempts, boolean invalidOnes) {
    Map<String, Object> config =
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    Serializer<LoginAttempt> json = FailedLoginsJob.LOGIN_ATTEMPTS.values().serde().serializer();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      if (invalidOnes) {
        producer.send(new ProducerRecord<>(TOPIC, TEN, "{\"ip\":".getBytes(UTF_8)));
        LoginAttempt noUser = new LoginAttempt(TEN, null, false, START);
        producer.send(new ProducerRecord<>(TOPIC, TEN, json.serialize(TOPIC, noUser)));
        LoginAttempt otherKey = new LoginAttempt(STEADY, "root", false, START);
        producer.send(new ProducerRecord<>(TOPIC, TEN, json.serialize(TOPIC, otherKey)));
      }
      attempts.stream()
          .sorted(Comparator.comparing(LoginAttempt::time))
          .forEach(
              attempt ->
                  producer.send(
                      new ProducerRecord<>(TOPIC, attempt.ip(), json.serialize(TOPIC, attempt))));
    }
  }

  /** The first IP of 192.0.2.0/24 that the default partitioner puts into each partition. */
  private static List<String> onePerPartition() {
    Map<Integer, String> byPartition = new TreeMap<>();
    for (int host = 1; byPartition.size() < PARTITIONS; host++) {
      String ip = "192.0.2." + host;
      int partition = Utils.toPositive(Utils.murmur2(ip.getBytes(UTF_8))) % PARTITIONS;
      byPartition.putIfAbsent(partition, ip);
    }
    return List.copyOf(byPartition.values());
  }

  private static List<LoginAlert> alerts(JobTopology topology, int atLeast) {
    String topic = topology.outputTopics().get(FailedLoginsJob.ALERTS.name());
    Deserializer<LoginAlert> json = FailedLoginsJob.ALERTS.values().serde().deserializer();
    return kafka.get().readCommitted(topic, atLeast, Duration.ofSeconds(5)).stream()
        .map(record -> json.deserialize(topic, record.value()))
        .sorted(Comparator.comparing(LoginAlert::ip).thenComparing(LoginAlert::at))
        .toList();
  }

  private static Map<String, Breach> overNow(KafkaStreams streams) {
    ReadOnlyKeyValueStore<String, Breach> store =
        streams.store(
            StoreQueryParameters.fromNameAndType(
                FailedLoginsJob.IPS_OVER_THRESHOLD.name(), QueryableStoreTypes.keyValueStore()));
    Map<String, Breach> rows = new TreeMap<>();
    try (KeyValueIterator<String, Breach> all = store.all()) {
      all.forEachRemaining(row -> rows.put(row.key, row.value));
    }
    return rows;
  }
}
