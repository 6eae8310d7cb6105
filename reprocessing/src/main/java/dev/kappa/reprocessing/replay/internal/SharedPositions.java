package dev.kappa.reprocessing.replay.internal;

import dev.kappa.reprocessing.internal.DaemonThreads;
import dev.kappa.serde.JsonSerde;
import dev.kappa.topology.KappaException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every instance knows of the source partitions of every version, shared through Kafka: a
 * compacted, one-partition topic beside the registry ({@code <registry topic>-positions}) that
 * holds, for each source partition of each version, its committed offset and the event time of its
 * first uncommitted record (its {@linkplain Watermark frontier}), as the instance that runs it last
 * published them; and, for each run of each instance, the records it dropped as late.
 *
 * <p>Besides the topic, it asks the cluster every {@code checkInterval} for the end offset and the
 * committed offset of every source partition of the versions registered here, so that a partition
 * whose instance died is seen to fall behind although nobody publishes for it any more. An answer
 * older than ten checks (at least 5 s) is forgotten (see {@link CheckedOffsets}).
 *
 * <p>Publishing never blocks the caller: the latest value of each key waits for a thread of its
 * own, which sends it at once. A record that cannot be read is logged and skipped. Thread-safe.
 */
public final class SharedPositions implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SharedPositions.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String POSITION = "position";
  private static final String LATE = "late";

  private final String topic;
  private final String instance;
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final Clock clock = Clock.systemUTC();
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Admin admin;
  private final JsonSerde<PositionEntry> positions = JsonSerde.of(PositionEntry.class);
  private final JsonSerde<LateEntry> lates = JsonSerde.of(LateEntry.class);
  private final Map<String, Version> versions = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> keysByVersion = new ConcurrentHashMap<>();
  private final Map<String, byte[]> outbox = new LinkedHashMap<>();
  private final Thread reader;
  private final Thread publisher;
  private final ScheduledExecutorService checker;
  private final Duration staleAfter;
  private volatile boolean closed;

  private SharedPositions(
      String topic,
      String instance,
      Map<String, Object> common,
      Map<String, Object> producerConfig,
      Map<String, Object> consumerConfig,
      Duration checkInterval) {
    this.topic = topic;
    // ten checks missed, and at least 5 s: a busy machine does not stall alignment for nothing
    this.staleAfter = max(checkInterval.multipliedBy(10), Duration.ofSeconds(5));
    this.instance = instance;
    this.admin = Admin.create(common);
    this.producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
    this.consumer =
        new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
    this.reader = DaemonThreads.start(this::read, "kappa-positions-reader-" + instance, false);
    this.publisher =
        DaemonThreads.start(this::publish, "kappa-positions-writer-" + instance, false);
    this.checker =
        Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("kappa-positions-offsets-" + instance));
  }

  /**
   * Opens the positions topic {@code topic}, creating it (compacted, one partition) if it does not
   * exist, and starts reading it from its beginning.
   *
   * @param clientSettings what every Kafka client needs to reach the cluster (bootstrap servers,
   *     security)
   * @param checkInterval how often end and committed offsets are asked of the cluster
   * @throws KappaException if the cluster cannot be reached
   */
  public static SharedPositions open(
      Map<String, Object> clientSettings, String topic, String instance, Duration checkInterval) {
    Map<String, Object> common = new HashMap<>(clientSettings);
    Map<String, Object> producerConfig = new HashMap<>(common);
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "kappa-positions-writer-" + instance);
    Map<String, Object> consumerConfig = new HashMap<>(common);
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "kappa-positions-reader-" + instance);
    consumerConfig.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
    SharedPositions shared =
        new SharedPositions(topic, instance, common, producerConfig, consumerConfig, checkInterval);
    try {
      shared.prepareTopic();
      TopicPartition partition = new TopicPartition(topic, 0);
      shared.consumer.assign(List.of(partition));
      shared.consumer.seekToBeginning(List.of(partition));
      shared.reader.start();
      shared.publisher.start();
      long every = checkInterval.toMillis();
      shared.checker.scheduleWithFixedDelay(shared::checkOffsets, 0, every, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      shared.close();
      throw e;
    }
    return shared;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** The topic. */
  public String topic() {
    return topic;
  }

  /**
   * What is shared of the version with application id {@code applicationId}, whose sources are
   * {@code sourcePartitions}; from now on their offsets are asked of the cluster too.
   */
  public Version version(String applicationId, Set<TopicPartition> sourcePartitions) {
    Version version =
        versions.computeIfAbsent(applicationId, id -> new Version(id, sourcePartitions));
    version.sources = Set.copyOf(sourcePartitions);
    checker.execute(() -> checkOffsets(version));
    return version;
  }

  /**
   * Deletes what is shared of the version {@code applicationId} (its positions and late counts), as
   * when it is retired.
   */
  public void forget(String applicationId) {
    versions.remove(applicationId);
    Set<String> keys = keysByVersion.getOrDefault(applicationId, Set.of());
    synchronized (outbox) {
      keys.forEach(key -> outbox.put(key, null));
    }
    LockSupport.unpark(publisher);
  }

  private void send(String key, byte[] value) {
    synchronized (outbox) {
      outbox.put(key, value);
    }
    LockSupport.unpark(publisher);
  }

  private void publish() {
    while (!closed) {
      Map<String, byte[]> batch;
      synchronized (outbox) {
        batch = new LinkedHashMap<>(outbox);
        outbox.clear();
      }
      if (batch.isEmpty()) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        continue;
      }
      batch.forEach(
          (key, value) -> {
            try {
              producer.send(
                  new ProducerRecord<>(topic, 0, key, value),
                  (metadata, error) -> {
                    if (error != null && !closed) {
                      log.warn("Cannot publish position '{}' to '{}': {}", key, topic, error);
                    }
                  });
            } catch (RuntimeException e) {
              if (!closed) {
                log.warn("Cannot publish position '{}' to '{}'", key, topic, e);
              }
            }
          });
    }
  }

  private void read() {
    while (!closed) {
      try {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          fold(record);
        }
      } catch (WakeupException e) {
        // close() wakes the thread up to stop it.
      } catch (RuntimeException e) {
        if (!closed) {
          log.warn("Cannot read the positions topic '{}'; trying again", topic, e);
        }
      }
    }
  }

  private void fold(ConsumerRecord<String, byte[]> record) {
    String[] key = record.key() == null ? new String[0] : record.key().split("/", 4);
    if (key.length < 3) {
      log.warn(
          "Positions topic '{}': skipped the record at offset {} with key '{}'",
          topic,
          record.offset(),
          record.key());
      return;
    }
    String applicationId = key[0];
    keysByVersion
        .computeIfAbsent(applicationId, id -> ConcurrentHashMap.newKeySet())
        .add(record.key());
    // Also of versions that do not run here: their late drops are part of their progress.
    Version version = versions.computeIfAbsent(applicationId, id -> new Version(id, Set.of()));
    try {
      if (key[1].equals(POSITION) && key.length == 4) {
        TopicPartition partition = new TopicPartition(key[2], Integer.parseInt(key[3]));
        if (record.value() == null) {
          version.positions.remove(partition);
          return;
        }
        PositionEntry entry = positions.deserialize(topic, record.value());
        // The largest committed offset wins: an older owner's late word never moves it back.
        version.positions.merge(
            partition, entry, (old, next) -> next.committed() >= old.committed() ? next : old);
      } else if (key[1].equals(LATE)) {
        if (record.value() == null) {
          version.late.remove(key[2]);
          return;
        }
        version.late.put(key[2], lates.deserialize(topic, record.value()));
      }
    } catch (RuntimeException e) {
      log.warn(
          "Positions topic '{}': the record at offset {} cannot be read ({}); skipped",
          topic,
          record.offset(),
          e.toString());
    }
  }

  private void checkOffsets() {
    for (Version version : versions.values()) {
      if (!version.sources.isEmpty()) {
        checkOffsets(version);
      }
    }
  }

  private void checkOffsets(Version version) {
    if (closed || version.sources.isEmpty()) {
      return;
    }
    long askedAt = version.offsets.checkBegins();
    try {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      for (TopicPartition partition : version.sources) {
        latest.put(partition, OffsetSpec.latest());
        earliest.put(partition, OffsetSpec.earliest());
      }
      ListOffsetsOptions committedOnly = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
      Map<TopicPartition, ListOffsetsResultInfo> ends =
          admin.listOffsets(latest, committedOnly).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      Map<TopicPartition, ListOffsetsResultInfo> starts =
          admin.listOffsets(earliest).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(version.applicationId)
              .partitionsToOffsetAndMetadata()
              .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      Map<TopicPartition, Offsets> offsets = new HashMap<>();
      for (TopicPartition partition : version.sources) {
        OffsetAndMetadata group = committed.get(partition);
        long start = starts.get(partition).offset();
        offsets.put(
            partition,
            new Offsets(
                group == null ? start : Math.max(start, group.offset()),
                ends.get(partition).offset()));
      }
      version.offsets.answered(askedAt, offsets);
    } catch (ExecutionException | TimeoutException e) {
      if (!closed) {
        log.debug("Cannot read the offsets of {}: {}", version.applicationId, e.toString());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void prepareTopic() {
    NewTopic newTopic =
        new NewTopic(topic, Optional.of(1), Optional.empty())
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    try {
      admin.createTopics(List.of(newTopic)).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      log.info("Created the positions topic '{}' (compacted, one partition)", topic);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new KappaException(
            "Cannot prepare the positions topic '" + topic + "': " + e.getCause().getMessage(),
            e.getCause());
      }
    } catch (TimeoutException e) {
      throw new KappaException(
          "Cannot prepare the positions topic '" + topic + "': no answer within " + TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KappaException("Interrupted while preparing the positions topic " + topic, e);
    }
  }

  /** Stops reading, publishing and checking, and closes the clients. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    checker.shutdownNow();
    consumer.wakeup();
    LockSupport.unpark(publisher);
    try {
      if (reader.isAlive()) {
        reader.join(TIMEOUT.toMillis());
      }
      if (publisher.isAlive()) {
        publisher.join(TIMEOUT.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!reader.isAlive()) {
      consumer.close();
    }
    producer.close(TIMEOUT);
    admin.close(TIMEOUT);
  }

  @Override
  public String toString() {
    return "SharedPositions[" + topic + ", " + instance + ", " + versions.keySet() + "]";
  }

  /**
   * Where a source partition of a version stands, as the cluster says: its committed offset (the
   * group's, or the log start without one) and its end offset (the last stable offset).
   */
  public record Offsets(long committed, long end) {}

  /** A published position: committed offset and frontier of one source partition. */
  record PositionEntry(long committed, long frontier, String instance, Instant at) {}

  /** The records one run of an instance dropped as late, by step of the topology. */
  record LateEntry(Map<String, Long> byStep, String instance, Instant at) {}

  /** What is shared of one version. Thread-safe. */
  public final class Version implements PositionBoard {
    private final String applicationId;
    private final Map<TopicPartition, PositionEntry> positions = new ConcurrentHashMap<>();
    private final Map<String, LateEntry> late = new ConcurrentHashMap<>();
    private volatile Set<TopicPartition> sources;
    private final CheckedOffsets offsets = new CheckedOffsets(staleAfter, System::nanoTime);

    private Version(String applicationId, Set<TopicPartition> sources) {
      this.applicationId = applicationId;
      this.sources = Set.copyOf(sources);
    }

    /** The application id. */
    public String applicationId() {
      return applicationId;
    }

    @Override
    public Set<TopicPartition> sources() {
      return sources;
    }

    @Override
    public Optional<Published> published(TopicPartition partition) {
      PositionEntry entry = positions.get(partition);
      return entry == null
          ? Optional.empty()
          : Optional.of(new Published(entry.committed(), entry.frontier()));
    }

    @Override
    public Map<TopicPartition, Offsets> offsets() {
      return offsets.current();
    }

    @Override
    public void publish(TopicPartition partition, long committed, long frontier) {
      String key =
          applicationId + "/" + POSITION + "/" + partition.topic() + "/" + partition.partition();
      PositionEntry entry = new PositionEntry(committed, frontier, instance, clock.instant());
      positions.merge(
          partition, entry, (old, next) -> next.committed() >= old.committed() ? next : old);
      send(key, SharedPositions.this.positions.serialize(topic, entry));
    }

    /** Publishes the records this run of this instance dropped as late so far, by step. */
    public void publishLate(Map<String, Long> byStep) {
      LateEntry entry = new LateEntry(Map.copyOf(byStep), instance, clock.instant());
      String key = applicationId + "/" + LATE + "/" + instance + "-" + run;
      late.put(instance + "-" + run, entry);
      send(key, lates.serialize(topic, entry));
    }

    /** The records every run of every instance of the version dropped as late, by step. */
    public Map<String, Long> lateByStep() {
      Map<String, Long> total = new TreeMap<>();
      for (LateEntry entry : late.values()) {
        entry.byStep().forEach((step, count) -> total.merge(step, count, Long::sum));
      }
      return total;
    }

    @Override
    public String toString() {
      return "SharedPositions.Version[" + applicationId + ", " + positions.size() + " positions]";
    }
  }

  /**
   * A position as published.
   *
   * @param committed the committed offset it was published at
   * @param frontier the event time of the first uncommitted record then
   */
  public record Published(long committed, long frontier) {}
}
