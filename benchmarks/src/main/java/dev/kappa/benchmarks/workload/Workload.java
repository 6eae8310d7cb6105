package dev.kappa.benchmarks.workload;

import dev.kappa.benchmarks.internal.Topics;
import dev.kappa.examples.networkusage.NetworkUsageJob;
import dev.kappa.examples.networkusage.UsageGenerator;
import dev.kappa.examples.networkusage.UsageGenerator.GeneratedRecord;
import dev.kappa.examples.networkusage.UsageGenerator.Kind;
import dev.kappa.examples.networkusage.UsageGenerator.Mix;
import dev.kappa.examples.networkusage.UsageGenerator.Shape;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The workload: {@code readings} network-usage readings of {@code keys} customers from {@link
 * UsageGenerator} with a fixed seed, JSON values keyed by customer, event time advancing at a fixed
 * rate from {@code start} (5 % of readings up to 20 s out of order, none malformed), and an alarm
 * of the reading's node after 0.2 % of them.
 *
 * <p>It is written to {@link #READINGS} (every reading; what most scenarios read), {@link #ALARMS}
 * (the alarms, for the network-usage job) and, for the join, split by position between {@link
 * #EVEN_READINGS} and {@link #ODD_READINGS}, so that the join reads as many records as the others.
 * All topics have the same partitions and keep their records forever.
 *
 * <pre>{@code
 * Workload workload = Workload.of(5_000_000);       // 100,000 keys, 10,000 readings per second
 * workload.preload("localhost:9092");
 * }</pre>
 *
 * <p>Immutable.
 */
public final class Workload {

  /** Every reading, keyed by customer. */
  public static final String READINGS = NetworkUsageJob.USAGE_EVENTS.topic();

  /** The alarms, keyed by node. */
  public static final String ALARMS = NetworkUsageJob.NODE_ALARMS.topic();

  /** The readings at even positions: the left side of the join. */
  public static final String EVEN_READINGS = "bench-even-readings";

  /** The readings at odd positions: the right side of the join. */
  public static final String ODD_READINGS = "bench-odd-readings";

  /** No malformed records, so that a plain Kafka Streams job reads every record as a Kappa job. */
  private static final Mix MIX = new Mix(0.05, Duration.ofSeconds(20), 0.0, 0.002);

  private static final long SEED = 2026;

  private final long readings;
  private final int keys;
  private final int eventsPerSecond;
  private final int partitions;
  private final Instant start;

  private Workload(long readings, int keys, int eventsPerSecond, int partitions, Instant start) {
    if (readings < 1 || keys < 1 || eventsPerSecond < 1 || partitions < 1) {
      throw new IllegalArgumentException(
          "readings, keys, events per second and partitions must be at least 1, were "
              + readings
              + ", "
              + keys
              + ", "
              + eventsPerSecond
              + ", "
              + partitions);
    }
    this.readings = readings;
    this.keys = keys;
    this.eventsPerSecond = eventsPerSecond;
    this.partitions = partitions;
    this.start = start;
  }

  /**
   * {@code readings} readings of 100,000 customers, 10,000 per second of event time, in 4
   * partitions, ending in the past minute: brokers refuse records from much later than now and
   * delete those older than the retention of their output topics.
   */
  public static Workload of(long readings) {
    Workload workload = new Workload(readings, 100_000, 10_000, 4, Instant.EPOCH);
    return workload.withStart(Instant.now().minus(workload.span()).truncatedTo(ChronoUnit.MINUTES));
  }

  /** This workload with readings of {@code keys} customers. */
  public Workload withKeys(int keys) {
    return new Workload(readings, keys, eventsPerSecond, partitions, start);
  }

  /** This workload with {@code eventsPerSecond} readings per second of event time. */
  public Workload withEventsPerSecond(int eventsPerSecond) {
    return new Workload(readings, keys, eventsPerSecond, partitions, start);
  }

  /** This workload in topics of {@code partitions} partitions. */
  public Workload withPartitions(int partitions) {
    return new Workload(readings, keys, eventsPerSecond, partitions, start);
  }

  /** This workload with its event time starting at {@code start}. */
  public Workload withStart(Instant start) {
    return new Workload(readings, keys, eventsPerSecond, partitions, start);
  }

  /** The number of readings. */
  public long readings() {
    return readings;
  }

  /** The number of customers: the keys of the readings. */
  public int keys() {
    return keys;
  }

  /** The partitions of each topic. */
  public int partitions() {
    return partitions;
  }

  /** The event time of the first reading. */
  public Instant start() {
    return start;
  }

  /** The event time the readings cover. */
  public Duration span() {
    return Duration.ofSeconds(readings / eventsPerSecond + 1);
  }

  /**
   * The tiny workload of the harness's tests: 2,500 readings of 200 customers at 100 per second of
   * event time, so 25 s that cross one minute boundary, ending 45 s ago.
   */
  public static Workload tiny() {
    return of(2_500)
        .withKeys(200)
        .withEventsPerSecond(100)
        .withStart(Instant.now().truncatedTo(ChronoUnit.MINUTES).minusSeconds(70));
  }

  /** The records {@link #generate} gives, by topic, in order. */
  public Map<String, List<GeneratedRecord>> generated() {
    Map<String, List<GeneratedRecord>> generated = new HashMap<>();
    generate(
        (topic, record) -> generated.computeIfAbsent(topic, t -> new ArrayList<>()).add(record));
    return generated;
  }

  /**
   * Generates the workload, handing each record to {@code sink} with the topic it belongs to: every
   * reading twice (to {@link #READINGS} and to the even or odd topic), every alarm once. The same
   * workload gives the same records in the same order.
   */
  public void generate(BiConsumer<String, GeneratedRecord> sink) {
    int nodes = Math.max(1, keys / 100);
    UsageGenerator generator =
        new UsageGenerator(SEED, Shape.of(keys, nodes, Math.max(1, nodes / 50)), MIX);
    Duration step = Duration.ofNanos(1_000_000_000L / eventsPerSecond);
    for (long i = 0; i < readings; i++) {
      for (GeneratedRecord record : generator.next(start.plus(step.multipliedBy(i)))) {
        if (record.kind() == Kind.READING) {
          sink.accept(READINGS, record);
          sink.accept(i % 2 == 0 ? EVEN_READINGS : ODD_READINGS, record);
        } else {
          sink.accept(ALARMS, record);
        }
      }
    }
  }

  /**
   * Creates the topics on the cluster at {@code bootstrapServers} and writes the workload to them.
   *
   * @return the records written to each topic
   * @throws IllegalStateException if one of the topics exists already (the workload would not be
   *     the only data in it), or a record cannot be written
   */
  public Map<String, Long> preload(String bootstrapServers) {
    Set<String> topics = Set.of(READINGS, ALARMS, EVEN_READINGS, ODD_READINGS);
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      Set<String> existing = Topics.await(admin.listTopics().names(), "list topics");
      List<String> taken = topics.stream().filter(existing::contains).sorted().toList();
      if (!taken.isEmpty()) {
        throw new IllegalStateException(
            "Cannot preload the workload on "
                + bootstrapServers
                + ": topics "
                + taken
                + " exist already. Delete them or use a fresh cluster.");
      }
      Topics.create(admin, topics, partitions, Map.of("retention.ms", "-1"));
    }
    Map<String, Long> written = new TreeMap<>();
    AtomicReference<Exception> failure = new AtomicReference<>();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG,
                10,
                ProducerConfig.BATCH_SIZE_CONFIG,
                256 * 1024),
            new StringSerializer(),
            new ByteArraySerializer())) {
      generate(
          (topic, record) -> {
            if (failure.get() != null) {
              return;
            }
            producer.send(
                new ProducerRecord<>(
                    topic, null, record.timestamp().toEpochMilli(), record.key(), record.value()),
                (metadata, error) -> {
                  if (error != null) {
                    failure.compareAndSet(null, error);
                  }
                });
            written.merge(topic, 1L, Long::sum);
          });
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException(
          "Cannot preload the workload: " + failure.get().getMessage(), failure.get());
    }
    return written;
  }

  @Override
  public String toString() {
    return readings
        + " readings of "
        + keys
        + " customers, "
        + eventsPerSecond
        + " per second of event time from "
        + start
        + ", "
        + partitions
        + " partitions";
  }
}
