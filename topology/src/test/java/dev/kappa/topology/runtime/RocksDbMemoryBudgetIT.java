package dev.kappa.topology.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kappa.embedded.EmbeddedKafkaExtension;
import dev.kappa.serde.Codec;
import dev.kappa.stores.RocksDbMemoryBudget;
import dev.kappa.topology.JobNaming;
import dev.kappa.topology.KappaJob;
import dev.kappa.topology.ServingTable;
import dev.kappa.topology.Source;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Kafka Streams instances in one JVM (as two versions of a job run side by side) hold far more
 * state than their shared RocksDB budget, and RocksDB's reported usage stays within it.
 */
class RocksDbMemoryBudgetIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final long BUDGET_BYTES = 16L * 1024 * 1024;
  private static final int KEYS = 120_000;
  private static final int VALUE_BYTES = 500;
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private static final Source<String, String> VALUES =
      Source.of("values", Codec.string(), Codec.string());
  private static final ServingTable<String, String> LATEST =
      ServingTable.keyValue("latest", Codec.string(), Codec.string());
  private static final KappaJob JOB =
      KappaJob.named("latest-values")
          .source(VALUES)
          .servingTable(LATEST)
          .topology(
              b ->
                  b.aggregate(
                      b.stream(VALUES).groupByKey(Grouped.as("values-by-key")),
                      LATEST,
                      () -> "",
                      (k, v, old) -> v))
          .build();

  @TempDir Path stateDir;
  private final RocksDbMemoryBudget budget = RocksDbMemoryBudget.ofBytes(BUDGET_BYTES);

  @AfterEach
  void closeBudget() {
    budget.close();
  }

  @Test
  void shouldKeepTheBlockCacheUsageOfTwoInstancesWithinTheirSharedBudget() throws Exception {
    kafka.get().createTopic(VALUES.topic(), 2, Map.of());
    produceValues();
    JobConfig config =
        JobConfig.builder(kafka.bootstrapServers())
            .stateDirectory(stateDir)
            .memoryBudget(budget)
            .build();
    AtomicLong maxUsage = new AtomicLong();

    try (RunningJob first = RunningJob.start(JOB.topology(naming("latest-values-a")), config);
        RunningJob second = RunningJob.start(JOB.topology(naming("latest-values-b")), config)) {
      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(100))
          // A store is briefly not queryable if the group rebalances once more after RUNNING.
          .ignoreExceptionsInstanceOf(InvalidStateStoreException.class)
          .until(
              () -> {
                maxUsage.accumulateAndGet(budget.usage(), Math::max);
                return stored(first.streams()) == KEYS && stored(second.streams()) == KEYS;
              });
      // Point reads pull data blocks into the shared cache until it must evict.
      Random random = new Random(3);
      for (RunningJob job : List.of(first, second)) {
        ReadOnlyKeyValueStore<String, String> store = store(job.streams());
        for (int read = 0; read < 20_000; read++) {
          assertThat(store.get(key(random.nextInt(KEYS)))).hasSize(VALUE_BYTES);
          if (read % 500 == 0) {
            maxUsage.accumulateAndGet(budget.usage(), Math::max);
          }
        }
      }

      assertThat((long) KEYS * VALUE_BYTES * 2).isGreaterThan(6 * BUDGET_BYTES);
      assertThat(maxUsage.get()).isGreaterThan(BUDGET_BYTES / 2).isLessThanOrEqualTo(BUDGET_BYTES);
      for (RunningJob job : List.of(first, second)) {
        assertThat(metric(job.streams(), "block-cache-capacity")).isEqualTo(BUDGET_BYTES);
        assertThat(metric(job.streams(), "block-cache-usage"))
            .isPositive()
            .isLessThanOrEqualTo(BUDGET_BYTES);
      }
    }
  }

  private static JobNaming naming(String applicationId) {
    JobNaming unversioned = JobNaming.unversioned(JOB.name());
    return new JobNaming() {
      @Override
      public String applicationId() {
        return applicationId;
      }

      @Override
      public String outputTopic(String sinkName) {
        return applicationId + "-" + sinkName;
      }

      @Override
      public String deadLetterTopic() {
        return applicationId + "-" + unversioned.deadLetterTopic();
      }
    };
  }

  private static void produceValues() throws Exception {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.LINGER_MS_CONFIG,
            10,
            ProducerConfig.BATCH_SIZE_CONFIG,
            256 * 1024,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class);
    Random random = new Random(11);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      for (int key = 0; key < KEYS; key++) {
        StringBuilder value = new StringBuilder(VALUE_BYTES);
        for (int i = 0; i < VALUE_BYTES; i++) {
          value.append((char) ('a' + random.nextInt(26)));
        }
        producer.send(new ProducerRecord<>(VALUES.topic(), key(key), value.toString()));
      }
      producer.flush();
    }
  }

  private static long stored(KafkaStreams streams) {
    if (streams.state() != KafkaStreams.State.RUNNING) {
      return -1;
    }
    return store(streams).approximateNumEntries() >= KEYS ? countExactly(streams) : 0;
  }

  private static long countExactly(KafkaStreams streams) {
    long count = 0;
    try (var all = store(streams).all()) {
      while (all.hasNext()) {
        all.next();
        count++;
      }
    }
    return count;
  }

  private static ReadOnlyKeyValueStore<String, String> store(KafkaStreams streams) {
    return streams.store(
        StoreQueryParameters.fromNameAndType(LATEST.name(), QueryableStoreTypes.keyValueStore()));
  }

  private static long metric(KafkaStreams streams, String name) {
    return streams.metrics().values().stream()
        .filter(metric -> metric.metricName().name().equals(name))
        .map(Metric::metricValue)
        .mapToLong(value -> ((Number) value).longValue())
        .max()
        .orElseThrow(() -> new AssertionError("Kafka Streams reports no metric " + name));
  }

  private static String key(int key) {
    return String.format("key-%08d", key);
  }
}
