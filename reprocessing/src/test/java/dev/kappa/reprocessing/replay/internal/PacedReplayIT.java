package dev.kappa.reprocessing.replay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kappa.embedded.EmbeddedKafkaExtension;
import dev.kappa.serde.Codec;
import dev.kappa.topology.KappaJob;
import dev.kappa.topology.ServingTable;
import dev.kappa.topology.Source;
import dev.kappa.topology.runtime.JobConfig;
import dev.kappa.topology.runtime.RunningJob;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backlog replayed from the earliest offsets, once with the stream thread's consumer paced by an
 * {@link EventTimeGate} and once without, on a real broker under exactly-once.
 *
 * <p>The whole workload is in the log before the job starts: 120,000 readings of 2,000 devices over
 * 10 minutes of event time, keyed by device over 4 partitions and interleaved as a live producer
 * writes them, 5 % of them up to 5 s late. The job re-keys them by node (a repartition topic) and
 * counts them in 1-minute windows with 10 s grace. Paced, every reading is counted; unpaced, the
 * partitions are read at uneven speeds and the repartition topic's event time runs ahead, so that
 * how many readings are dropped as late depends on scheduling: it is printed, not asserted. A third
 * replay, unpaced with a grace period as long as the backlog, does the same work as the paced one
 * (none dropped), so that the replay rates printed for the three show what pacing costs. Wall-clock
 * rates vary with whatever else runs on the machine; the rates per CPU-second of this JVM less so.
 */
class PacedReplayIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final Logger log = LoggerFactory.getLogger(PacedReplayIT.class);

  private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
  private static final int READINGS = 120_000;
  private static final Duration SPAN = Duration.ofMinutes(10);
  private static final int PARTITIONS = 4;
  private static final int DEVICES = 2_000;
  private static final int NODES = 20;
  private static final double LATE_SHARE = 0.05;
  private static final Duration MAX_LATENESS = Duration.ofSeconds(5);
  private static final Duration SKEW = Duration.ofSeconds(1);
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  /** A reading of a device, attached to a network node. */
  public record Reading(String device, String node, long bytes, Instant timestamp) {}

  /** The readings of a node in one window: their bytes and their number. */
  public record NodeUsage(long bytes, long readings) {
    static final NodeUsage NONE = new NodeUsage(0, 0);

    NodeUsage add(Reading reading) {
      return new NodeUsage(bytes + reading.bytes(), readings + 1);
    }
  }

  static final Source<String, Reading> DEVICE_READINGS =
      Source.of("device-readings", Codec.string(), Codec.json(Reading.class))
          .withEventTime(Reading::timestamp);

  static final ServingTable<String, NodeUsage> USAGE_BY_NODE =
      ServingTable.windowed("usage-by-node", Codec.string(), Codec.json(NodeUsage.class))
          .withRetention(Duration.ofDays(1));

  /** Grace longer than the producers' lateness (5 s), shorter than an unpaced replay runs ahead. */
  static final TimeWindows MINUTES =
      TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), Duration.ofSeconds(10));

  /**
   * Grace as long as the backlog: nothing is late, so an unpaced replay does all the work a paced
   * one does, and comparing their rates shows what pacing costs.
   */
  static final TimeWindows MINUTES_WITH_LONG_GRACE =
      TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), SPAN.plusMinutes(1));

  /** Per node and window start, from the produced readings. */
  private static final Map<String, Map<Instant, NodeUsage>> EXPECTED = new TreeMap<>();

  @TempDir Path stateDir;

  static KappaJob job(String name, TimeWindows windows) {
    return KappaJob.named(name)
        .source(DEVICE_READINGS)
        .servingTable(USAGE_BY_NODE)
        .topology(
            builder -> {
              // Readings arrive keyed by device and are counted per node: re-keying them
              // repartitions them, and on the repartition topic the source partitions meet, so that
              // one partition read ahead of the others moves event time on for all of them.
              KGroupedStream<String, Reading> byNode =
                  builder.stream(DEVICE_READINGS)
                      .groupBy(
                          (device, reading) -> reading.node(),
                          Grouped.with(
                              "readings-by-node",
                              Serdes.String(),
                              DEVICE_READINGS.values().serde()));
              builder.aggregate(
                  byNode,
                  windows,
                  EmitStrategy.onWindowUpdate(),
                  USAGE_BY_NODE,
                  () -> NodeUsage.NONE,
                  (node, reading, usage) -> usage.add(reading));
            })
        .build();
  }

  @BeforeAll
  static void produceTheBacklog() throws Exception {
    kafka.get().createTopic(DEVICE_READINGS.topic(), PARTITIONS, Map.of("retention.ms", "-1"));
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            10,
            ProducerConfig.BATCH_SIZE_CONFIG,
            256 * 1024,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class);
    Random random = new Random(2026);
    Duration step = SPAN.dividedBy(READINGS);
    long started = System.nanoTime();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
      for (int i = 0; i < READINGS; i++) {
        Instant clock = START.plus(step.multipliedBy(i));
        Instant time =
            random.nextDouble() < LATE_SHARE
                ? clock.minusMillis(random.nextInt((int) MAX_LATENESS.toMillis()))
                : clock;
        int device = random.nextInt(DEVICES);
        Reading reading =
            new Reading(
                "device-" + device, "node-" + device % NODES, 1 + random.nextInt(10_000), time);
        // The record timestamp is the event time, as a live producer sets it.
        producer.send(
            new ProducerRecord<>(
                DEVICE_READINGS.topic(),
                null,
                time.toEpochMilli(),
                reading.device(),
                DEVICE_READINGS.values().serde().serializer().serialize("", reading)));
        EXPECTED
            .computeIfAbsent(reading.node(), node -> new TreeMap<>())
            .merge(windowStart(time), NodeUsage.NONE.add(reading), PacedReplayIT::sum);
      }
      producer.flush();
    }
    log.info(
        "Produced {} readings in {} ms",
        READINGS,
        Duration.ofNanos(System.nanoTime() - started).toMillis());
  }

  @Test
  void shouldReplayABacklogWithoutDroppingReadingsAsLateWhenPaced() throws Exception {
    Map<TopicPartition, Long> targets = endOffsets();
    assertThat(targets.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(READINGS);
    EventTimeGate gate = new EventTimeGate(SKEW, targets);

    // The first replay in a JVM runs at half speed or less (JIT, broker): a quarter of the backlog,
    // unmeasured, evens that out. Paced goes first of the rest so as not to understate its cost.
    replay("warm-up", MINUTES_WITH_LONG_GRACE, null, READINGS / 4);
    Replay paced = replay("paced-replay", MINUTES, gate);
    Replay unpaced = replay("unpaced-replay", MINUTES, null);
    Replay baseline = replay("unpaced-replay-long-grace", MINUTES_WITH_LONG_GRACE, null);

    log.info(
        "Paced replay: {} readings in {} ms, {} readings/s, {} readings/CPU-s, {} dropped as"
            + " late; {} records held back, for {} ms in all",
        READINGS,
        paced.took().toMillis(),
        paced.rate(),
        paced.cpuRate(),
        paced.droppedLate(),
        gate.heldTotal(),
        gate.heldTime().toMillis());
    log.info(
        "Unpaced replay: {} readings in {} ms, {} readings/s, {} readings/CPU-s, {} dropped as"
            + " late, {} windows of {} wrong",
        READINGS,
        unpaced.took().toMillis(),
        unpaced.rate(),
        unpaced.cpuRate(),
        unpaced.droppedLate(),
        wrongWindows(unpaced.served()),
        windows(EXPECTED));
    log.info(
        "Unpaced replay with {} grace (nothing late): {} readings in {} ms, {} readings/s, {}"
            + " readings/CPU-s, {} dropped as late",
        MINUTES_WITH_LONG_GRACE.gracePeriodMs() / 1000 + " s",
        READINGS,
        baseline.took().toMillis(),
        baseline.rate(),
        baseline.cpuRate(),
        baseline.droppedLate());

    assertThat(paced.droppedLate()).isZero();
    assertThat(paced.served()).isEqualTo(EXPECTED);
    assertThat(gate.isActive()).isFalse();
    assertThat(gate.heldNow()).isZero();
    // The gate did something: without holding records back, this replay could not be told apart
    // from an unpaced one that happened to be scheduled well.
    assertThat(gate.heldTotal()).isPositive();
  }

  /** Replays the backlog as job {@code name}, paced by {@code gate} unless it is null. */
  private Replay replay(String name, TimeWindows windows, @Nullable EventTimeGate gate) {
    return replay(name, windows, gate, READINGS);
  }

  /** Replays the backlog until {@code readings} are counted or dropped. */
  private Replay replay(
      String name, TimeWindows windows, @Nullable EventTimeGate gate, int readings) {
    JobConfig config =
        JobConfig.builder(kafka.bootstrapServers()).stateDirectory(stateDir.resolve(name)).build();
    long started = System.nanoTime();
    long cpuBefore = processCpuNanos();
    try (RunningJob job =
        gate == null
            ? RunningJob.start(job(name, windows).topology(), config)
            : RunningJob.start(
                job(name, windows).topology(), config, new PacedClientSupplier(gate))) {
      // Every reading is either counted in a window or dropped as late.
      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> counted(job.streams()) + droppedLate(job) >= readings);
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      Duration cpu = Duration.ofNanos(processCpuNanos() - cpuBefore);
      return new Replay(took, cpu, droppedLate(job), served(job.streams()));
    }
  }

  private static long droppedLate(RunningJob job) {
    return job.droppedRecords() - job.deadLetters().total();
  }

  private static long counted(KafkaStreams streams) {
    try {
      return served(streams).values().stream()
          .flatMap(windows -> windows.values().stream())
          .mapToLong(NodeUsage::readings)
          .sum();
    } catch (InvalidStateStoreException notReadyYet) {
      return 0;
    }
  }

  /** Every window of the serving table, per node and window start. */
  private static Map<String, Map<Instant, NodeUsage>> served(KafkaStreams streams) {
    ReadOnlyWindowStore<String, NodeUsage> store =
        streams.store(
            StoreQueryParameters.fromNameAndType(
                USAGE_BY_NODE.name(), QueryableStoreTypes.windowStore()));
    Map<String, Map<Instant, NodeUsage>> windows = new TreeMap<>();
    try (KeyValueIterator<Windowed<String>, NodeUsage> all =
        store.fetchAll(START.minus(Duration.ofHours(1)), START.plus(Duration.ofHours(1)))) {
      all.forEachRemaining(
          window ->
              windows
                  .computeIfAbsent(window.key.key(), node -> new TreeMap<>())
                  .put(window.key.window().startTime(), window.value));
    }
    return windows;
  }

  private static Map<TopicPartition, Long> endOffsets()
      throws InterruptedException, ExecutionException {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      Map<TopicPartition, OffsetSpec> latest =
          IntStream.range(0, PARTITIONS)
              .boxed()
              .collect(
                  Collectors.toMap(
                      partition -> new TopicPartition(DEVICE_READINGS.topic(), partition),
                      partition -> OffsetSpec.latest()));
      Map<TopicPartition, Long> offsets = new HashMap<>();
      admin
          .listOffsets(latest)
          .all()
          .get()
          .forEach((partition, info) -> offsets.put(partition, info.offset()));
      return offsets;
    }
  }

  private static long wrongWindows(Map<String, Map<Instant, NodeUsage>> served) {
    return EXPECTED.entrySet().stream()
        .flatMap(
            node ->
                node.getValue().entrySet().stream()
                    .filter(
                        window ->
                            !window
                                .getValue()
                                .equals(
                                    served
                                        .getOrDefault(node.getKey(), Map.of())
                                        .get(window.getKey()))))
        .count();
  }

  private static long windows(Map<String, Map<Instant, NodeUsage>> byNode) {
    return byNode.values().stream().mapToLong(Map::size).sum();
  }

  private static Instant windowStart(Instant time) {
    long size = MINUTES.sizeMs;
    return Instant.ofEpochMilli(Math.floorDiv(time.toEpochMilli(), size) * size);
  }

  private static NodeUsage sum(NodeUsage a, NodeUsage b) {
    return new NodeUsage(a.bytes() + b.bytes(), a.readings() + b.readings());
  }

  /** What one replay took, dropped and served. */
  private record Replay(
      Duration took, Duration cpu, long droppedLate, Map<String, Map<Instant, NodeUsage>> served) {
    long rate() {
      return Math.round(READINGS / (took.toNanos() / 1e9));
    }

    /** Readings per second of CPU time of this JVM (job, broker and test), whatever else runs. */
    long cpuRate() {
      return Math.round(READINGS / (cpu.toNanos() / 1e9));
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
