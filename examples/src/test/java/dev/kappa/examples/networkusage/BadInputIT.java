package dev.kappa.examples.networkusage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kappa.embedded.EmbeddedKafkaExtension;
import dev.kappa.examples.networkusage.UsageGenerator.GeneratedRecord;
import dev.kappa.examples.networkusage.UsageGenerator.Kind;
import dev.kappa.examples.networkusage.UsageGenerator.Mix;
import dev.kappa.examples.networkusage.UsageGenerator.Shape;
import dev.kappa.serde.JsonSerde;
import dev.kappa.topology.JobTopology;
import dev.kappa.topology.deadletter.DeadLetter;
import dev.kappa.topology.runtime.JobConfig;
import dev.kappa.topology.runtime.RunningJob;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every class of bad input a producer of readings gets wrong, mixed into a backlog of good readings
 * on a real broker: each bad record goes to the dead-letter topic with its reason, and nothing is
 * lost. Produced equals counted plus dead-lettered plus late, with late 0, all computed here from
 * the records this test sent.
 *
 * <p>The far-future reading comes first: had it moved stream time, every good reading after it
 * would have been dropped as late.
 */
class BadInputIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
  private static final int READINGS = 3_000;
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final String TOPIC = NetworkUsageJob.USAGE_EVENTS.topic();

  @TempDir Path stateDir;

  /** A bad record, the reason its dead letter must give, or null for one the job accepts. */
  private record Bad(
      String kind, byte @Nullable [] key, byte @Nullable [] value, @Nullable String reason) {}

  private static List<Bad> badRecords() {
    String valid =
        "{\"customerId\":\"c-bad\",\"nodeId\":\"n-bad\",\"agentId\":\"a-bad\",\"bytes\":2048,";
    byte[] huge = new byte[1024 * 1024];
    Arrays.fill(huge, (byte) ' ');
    byte[] prefix = (valid + "\"timestamp\":\"2026-11-22T10:00:05Z\",\"pad\":\"").getBytes(UTF_8);
    System.arraycopy(prefix, 0, huge, 0, prefix.length);
    huge[huge.length - 2] = '"';
    huge[huge.length - 1] = '}';
    byte[] notUtf8 = (valid + "\"timestamp\":\"2026-11-22T10:00:05Z\"}").getBytes(UTF_8);
    notUtf8[16] = (byte) 0xC3; // "c-bad" becomes a lead byte followed by an ASCII byte
    return List.of(
        new Bad(
            "far-future timestamp",
            text("c-bad"),
            text(valid + "\"timestamp\":\"2999-01-01T00:00:00Z\"}"),
            "is more than PT24H ahead of this instance's clock"),
        new Bad(
            "unknown extra field (accepted)",
            text("c-bad"),
            text(valid + "\"timestamp\":\"2026-11-22T10:00:05Z\",\"firmware\":\"4.2\"}"),
            null),
        new Bad(
            "malformed JSON",
            text("c-bad"),
            text("{\"customerId\":\"c-bad\",\"nodeId\":"),
            "Cannot read a UsageEvent from topic 'usage-events'"),
        new Bad(
            "wrong type: text for a number",
            text("c-bad"),
            text(valid.replace("2048", "\"lots\"") + "\"timestamp\":\"2026-11-22T10:00:05Z\"}"),
            "Cannot read a UsageEvent from topic 'usage-events'"),
        new Bad(
            "wrong type: a fraction for an integer",
            text("c-bad"),
            text(valid.replace("2048", "20.5") + "\"timestamp\":\"2026-11-22T10:00:05Z\"}"),
            "Cannot read a UsageEvent from topic 'usage-events'"),
        new Bad(
            "null key",
            null,
            text(valid + "\"timestamp\":\"2026-11-22T10:00:05Z\"}"),
            "the key is missing"),
        new Bad(
            "key of another customer",
            text("c-other"),
            text(valid + "\"timestamp\":\"2026-11-22T10:00:05Z\"}"),
            "the key 'c-other' is not the reading's customerId 'c-bad'"),
        new Bad("null value", text("c-bad"), null, "the record has no value"),
        new Bad(
            "missing field",
            text("c-bad"),
            text(
                "{\"customerId\":\"c-bad\",\"agentId\":\"a-bad\",\"bytes\":5,"
                    + "\"timestamp\":\"2026-11-22T10:00:05Z\"}"),
            "nodeId is missing"),
        new Bad(
            "negative value",
            text("c-bad"),
            text(valid.replace("2048", "-5") + "\"timestamp\":\"2026-11-22T10:00:05Z\"}"),
            "bytes must not be negative, was -5"),
        new Bad("1 MiB record", text("c-bad"), huge, "the value has 1048576 bytes"),
        new Bad(
            "far-past timestamp (seconds read as milliseconds)",
            text("c-bad"),
            text(valid + "\"timestamp\":\"1970-01-21T10:20:00Z\"}"),
            "is before 2000-01-01T00:00:00Z"),
        new Bad(
            "invalid UTF-8 in the key",
            new byte[] {'c', '-', (byte) 0xC3, '('},
            text(valid + "\"timestamp\":\"2026-11-22T10:00:05Z\"}"),
            "the bytes are not valid UTF-8"),
        new Bad("invalid UTF-8 in the value", text("c-bad"), notUtf8, "Invalid UTF-8"));
  }

  @Test
  void shouldDeadLetterEveryClassOfBadInputWithItsReasonAndLoseNothing() throws Exception {
    // One partition: a backlog read at full speed cannot run one partition's time ahead of
    // another's, so any late drop here is the bad input's doing.
    kafka.get().createTopic(TOPIC, 1, Map.of("retention.ms", "-1", "max.message.bytes", "2097152"));
    kafka.get().createTopic(NetworkUsageJob.NODE_ALARMS.topic(), 1, Map.of("retention.ms", "-1"));
    List<Bad> bad = badRecords();
    assertThat(bad.stream().filter(b -> b.reason() != null)).hasSizeGreaterThanOrEqualTo(10);

    List<UsageEvent> counted = new ArrayList<>();
    Map<Future<RecordMetadata>, Bad> sentBad = new HashMap<>();
    UsageGenerator generator =
        new UsageGenerator(14, Shape.of(500, 20, 4), new Mix(0.05, Duration.ofSeconds(10), 0, 0));
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      int every = READINGS / bad.size();
      int next = 0;
      for (int i = 0; i < READINGS; i++) {
        if (i % every == 0 && next < bad.size()) {
          Bad record = bad.get(next++);
          sentBad.put(
              producer.send(new ProducerRecord<>(TOPIC, record.key(), record.value())), record);
          if (record.reason() == null) {
            counted.add(JsonSerde.of(UsageEvent.class).deserialize(TOPIC, record.value()));
          }
        }
        for (GeneratedRecord reading : generator.next(START.plusMillis(60L * i))) {
          assertThat(reading.kind()).isEqualTo(Kind.READING);
          producer.send(new ProducerRecord<>(TOPIC, text(reading.key()), reading.value()));
          counted.add(reading.reading());
        }
      }
    }
    Map<Long, Bad> badByOffset = new HashMap<>();
    for (Map.Entry<Future<RecordMetadata>, Bad> sent : sentBad.entrySet()) {
      badByOffset.put(sent.getKey().get().offset(), sent.getValue());
    }
    long produced =
        counted.size() + badByOffset.values().stream().filter(b -> b.reason() != null).count();
    long expectedLetters = produced - counted.size();

    JobTopology topology = NetworkUsageJob.job().topology();
    try (RunningJob job =
        RunningJob.start(
            topology,
            JobConfig.builder(kafka.bootstrapServers()).stateDirectory(stateDir).build())) {
      job.awaitRunning(TIMEOUT);
      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> job.committedPosition(TOPIC) >= produced);
      // The node totals are aggregated record by record in windows: a late reading is not in them.
      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> servedReadings(job.streams()) == counted.size() || late(job) > 0);
      assertThat(late(job)).as("dropped as late").isZero();

      List<DeadLetter> letters =
          kafka
              .get()
              .readCommitted(topology.deadLetterTopic(), (int) expectedLetters, TIMEOUT)
              .stream()
              .map(record -> DeadLetter.of(record.key(), record.value(), record.headers()))
              .toList();
      assertThat(letters).hasSize((int) expectedLetters);
      for (DeadLetter letter : letters) {
        Bad record = badByOffset.get(letter.sourceOffset());
        assertThat(record).as("the record at offset %d", letter.sourceOffset()).isNotNull();
        assertThat(letter.message()).as(record.kind()).contains(record.reason());
        System.out.printf("BAD INPUT %s: %s%n", record.kind(), letter.message());
        assertThat(letter.sourceTopic()).isEqualTo(TOPIC);
        assertThat(letter.key()).as(record.kind()).isEqualTo(record.key());
        if (record.value() == null) {
          assertThat(letter.value()).isNull();
        } else {
          // A dead letter holds its record's value, or the start of one too large for it.
          assertThat(letter.valueSize()).as(record.kind()).isEqualTo(record.value().length);
          assertThat(record.value()).startsWith(letter.value());
        }
      }
      assertThat(job.deadLetters().total()).isEqualTo(expectedLetters);
      assertThat(servedReadings(job.streams()) + letters.size() + late(job)).isEqualTo(produced);
      System.out.printf(
          "BAD INPUT: produced %d = counted %d + dead-lettered %d + late %d%n",
          produced, servedReadings(job.streams()), letters.size(), late(job));
    }
  }

  private static long late(RunningJob job) {
    return job.lateDroppedBySubtopology().values().stream().mapToLong(Long::longValue).sum();
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            5,
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
            4 * 1024 * 1024,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class));
  }

  /** The readings counted in every window of the node totals. */
  private static long servedReadings(KafkaStreams streams) {
    try {
      ReadOnlyWindowStore<String, Usage> store =
          streams.store(
              StoreQueryParameters.fromNameAndType(
                  NetworkUsageJob.USAGE_BY_NODE.name(), QueryableStoreTypes.windowStore()));
      long readings = 0;
      try (KeyValueIterator<Windowed<String>, Usage> all =
          store.fetchAll(START.minus(Duration.ofDays(1)), START.plus(Duration.ofDays(1)))) {
        while (all.hasNext()) {
          readings += all.next().value.readings();
        }
      }
      return readings;
    } catch (InvalidStateStoreException notReadyYet) {
      return -1;
    }
  }

  private static byte[] text(String text) {
    return text.getBytes(UTF_8);
  }
}
