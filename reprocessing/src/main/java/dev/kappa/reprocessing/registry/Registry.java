package dev.kappa.reprocessing.registry;

import dev.kappa.serde.JsonSerde;
import dev.kappa.topology.KappaException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
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
 * The registry of job versions: a compacted Kafka topic of {@link RegistryCommand commands}, folded
 * by every instance into the same {@link JobHistory} per job.
 *
 * <p>Concurrent writers cannot corrupt it. The topic has one partition, so every instance reads the
 * commands in the same order. A command is written with the sequence number of the history it was
 * checked against plus one; when it is read, it is folded only if that number is still the next one
 * and the command still keeps the rules. Of two commands written at once from the same history, the
 * first in the topic is folded and the second is skipped on every instance, and its writer, which
 * waits to read its own command back, checks it again against the new history and retries or
 * refuses. Each record has its own key ({@code <job>/<sequence>/<random id>}), so compaction keeps
 * the whole history; the topic is compacted so that time never deletes it.
 *
 * <p>A record that cannot be read, or names an unknown command, is logged with its offset, kept in
 * {@link #problems()} and skipped; it never stops the reading thread or changes a history.
 *
 * <pre>{@code
 * try (Registry registry = Registry.open("localhost:9092", Map.of(), Registry.DEFAULT_TOPIC, "host-a")) {
 *     registry.submit(new RegistryCommand.Started("network-usage", 2, false, false, "host-a"));
 *     registry.history("network-usage").active();
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class Registry implements AutoCloseable {

  /** The registry topic unless another is given. */
  public static final String DEFAULT_TOPIC = "kappa-registry";

  private static final Logger log = LoggerFactory.getLogger(Registry.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int ATTEMPTS = 5;

  private final String topic;
  private final String instance;
  private final Clock clock;
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaConsumer<String, byte[]> consumer;
  private final JsonSerde<RegistryEntry> entries = JsonSerde.of(RegistryEntry.class);
  private final Map<String, JobHistory> histories = new ConcurrentHashMap<>();
  private final List<RegistryProblem> problems = new CopyOnWriteArrayList<>();
  private final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, CompletableFuture<Outcome>> pending = new ConcurrentHashMap<>();
  private final CountDownLatch loaded = new CountDownLatch(1);
  private final Object writing = new Object();
  private final Thread reader;
  private volatile long loadTarget;
  private volatile long position;
  private volatile boolean closed;

  private Registry(
      String topic,
      String instance,
      Map<String, Object> producerConfig,
      Map<String, Object> consumerConfig) {
    this.topic = topic;
    this.instance = instance;
    this.clock = Clock.systemUTC();
    this.producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
    this.consumer =
        new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
    this.reader = new Thread(this::read, "kappa-registry-reader-" + instance);
    reader.setDaemon(true);
  }

  /**
   * Opens the registry on {@code topic}, creating it (compacted, one partition) if it does not
   * exist, and reads it to its end before returning.
   *
   * @param bootstrapServers the cluster
   * @param clientSettings settings every Kafka client needs there (security), or empty
   * @param topic the registry topic, usually {@link #DEFAULT_TOPIC}
   * @param instance this instance's name, recorded with the commands it writes
   * @throws KappaException if the topic has more than one partition or is not compacted, or the
   *     cluster cannot be reached
   */
  public static Registry open(
      String bootstrapServers, Map<String, Object> clientSettings, String topic, String instance) {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(instance, "instance");
    Map<String, Object> common = new HashMap<>(clientSettings);
    common.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(common)) {
      prepareTopic(admin, topic);
    }
    Map<String, Object> producerConfig = new HashMap<>(common);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "kappa-registry-writer-" + instance);
    Map<String, Object> consumerConfig = new HashMap<>(common);
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "kappa-registry-reader-" + instance);
    consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    Registry registry = new Registry(topic, instance, producerConfig, consumerConfig);
    try {
      registry.start();
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
    return registry;
  }

  private void start() {
    TopicPartition partition = new TopicPartition(topic, 0);
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));
    loadTarget = consumer.endOffsets(List.of(partition), TIMEOUT).getOrDefault(partition, 0L);
    reader.start();
    try {
      if (!loaded.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        close();
        throw new KappaException(
            "Cannot load the registry from topic '"
                + topic
                + "': read "
                + position
                + " of "
                + loadTarget
                + " records in "
                + TIMEOUT
                + ". Is the cluster reachable?");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new KappaException("Interrupted while loading the registry from '" + topic + "'", e);
    }
    log.info(
        "Loaded the registry from '{}': {} records, {} jobs, {} problems",
        topic,
        position,
        histories.size(),
        problems.size());
  }

  /** The registry topic. */
  public String topic() {
    return topic;
  }

  /** Whether the registry has read its topic to the end it had when it was opened. */
  public boolean loaded() {
    return loaded.getCount() == 0;
  }

  /** The offset of the next record to fold: how far this instance has read. */
  public long position() {
    return position;
  }

  /** The history of {@code job}; {@link JobHistory#empty(String)} if it has no command. */
  public JobHistory history(String job) {
    JobHistory history = histories.get(job);
    return history == null ? JobHistory.empty(job) : history;
  }

  /** The history of every job with a command, by job name. */
  public Map<String, JobHistory> histories() {
    return new TreeMap<>(histories);
  }

  /** The records that were skipped since the registry was opened, oldest first. */
  public List<RegistryProblem> problems() {
    return List.copyOf(problems);
  }

  /** Tells {@code listener} of every command folded from now on. */
  public void addListener(RegistryListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Stops telling {@code listener}. */
  public void removeListener(RegistryListener listener) {
    listeners.remove(listener);
  }

  /**
   * Writes {@code command} and waits until it is folded, so that this instance's view includes it
   * when the method returns; other instances see it as soon as they read it.
   *
   * @return the job's history with the command
   * @throws CommandRefusedException if the command breaks a rule against the current history, or
   *     came after another command that makes it break one
   * @throws KappaException if it cannot be written, or loses the race to other writers {@value
   *     #ATTEMPTS} times
   */
  public JobHistory submit(RegistryCommand command) {
    Objects.requireNonNull(command, "command");
    synchronized (writing) {
      for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
        JobHistory current = history(command.job());
        current.check(command);
        String id = UUID.randomUUID().toString();
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        pending.put(id, outcome);
        try {
          RegistryEntry entry =
              new RegistryEntry(current.sequence() + 1, clock.instant(), instance, command);
          String key = command.job() + "/" + entry.sequence() + "/" + id;
          producer.send(new ProducerRecord<>(topic, 0, key, entries.serialize(topic, entry))).get();
          Outcome result = outcome.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
          if (result.refusal().isPresent()) {
            throw new CommandRefusedException(result.refusal().get());
          }
          if (result.folded()) {
            log.info("Registry: {} by {}", command, instance);
            return history(command.job());
          }
          log.info("Registry: {} came after another command; checking it again", command);
        } catch (ExecutionException e) {
          throw new KappaException(
              "Cannot write " + command + " to the registry topic '" + topic + "': " + e.getCause(),
              e.getCause());
        } catch (TimeoutException e) {
          throw new KappaException(
              "Wrote "
                  + command
                  + " to the registry topic '"
                  + topic
                  + "' but did not read it back within "
                  + TIMEOUT,
              e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new KappaException("Interrupted while writing " + command + " to the registry", e);
        } finally {
          pending.remove(id);
        }
      }
      throw new KappaException(
          "Cannot write "
              + command
              + ": other instances changed job '"
              + command.job()
              + "' first "
              + ATTEMPTS
              + " times in a row. Try again.");
    }
  }

  private void read() {
    while (!closed) {
      try {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          fold(record);
          position = record.offset() + 1;
        }
        position = Math.max(position, consumer.position(new TopicPartition(topic, 0)));
        if (position >= loadTarget) {
          loaded.countDown();
        }
      } catch (WakeupException e) {
        // close() wakes the thread up to stop it.
      } catch (RuntimeException e) {
        if (!closed) {
          log.warn("Cannot read the registry topic '{}'; trying again", topic, e);
        }
      }
    }
  }

  private void fold(ConsumerRecord<String, byte[]> record) {
    String[] key = record.key() == null ? new String[0] : record.key().split("/", 3);
    RegistryEntry entry;
    try {
      entry = entries.deserialize(topic, record.value());
    } catch (RuntimeException e) {
      skip(record, key, "cannot be read: " + e.getMessage(), false);
      return;
    }
    if (entry == null) {
      skip(record, key, "has no value (a deletion marker): the registry never deletes", false);
      return;
    }
    String job = entry.command().job();
    if (key.length != 3 || !key[0].equals(job)) {
      skip(record, key, "has key '" + record.key() + "', not '" + job + "/<sequence>/<id>'", false);
      return;
    }
    JobHistory before = history(job);
    if (entry.sequence() != before.sequence() + 1) {
      // Another command was folded since the writer checked this one: it is stale.
      complete(key, new Outcome(false, Optional.empty()));
      log.debug("Registry: skipped {} at offset {}, written for an older history", entry, record);
      return;
    }
    JobHistory after;
    try {
      after = before.apply(entry.command());
    } catch (CommandRefusedException e) {
      skip(record, key, "breaks a rule: " + e.getMessage(), true);
      return;
    }
    histories.put(job, after);
    complete(key, new Outcome(true, Optional.empty()));
    for (RegistryListener listener : listeners) {
      try {
        listener.changed(before, after, entry.command());
      } catch (RuntimeException e) {
        log.error("A registry listener failed on {}", entry.command(), e);
      }
    }
  }

  private void skip(
      ConsumerRecord<String, byte[]> record, String[] key, String why, boolean refused) {
    String reason = "The record at offset " + record.offset() + " " + why;
    log.warn("Registry topic '{}': {}; skipped", topic, reason);
    problems.add(new RegistryProblem(record.offset(), reason));
    complete(key, new Outcome(false, Optional.of(refused ? why : reason)));
  }

  private void complete(String[] key, Outcome outcome) {
    if (key.length == 3) {
      CompletableFuture<Outcome> waiting = pending.get(key[2]);
      if (waiting != null) {
        waiting.complete(outcome);
      }
    }
  }

  private static void prepareTopic(Admin admin, String topic) {
    try {
      Map<String, TopicDescription> described =
          admin.describeTopics(Set.of(topic)).allTopicNames().get();
      check(admin, described.get(topic));
    } catch (ExecutionException e) {
      if (!(e.getCause()
          instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
        throw cannotPrepare(topic, e.getCause());
      }
      create(admin, topic);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KappaException("Interrupted while preparing the registry topic '" + topic + "'", e);
    }
  }

  private static void create(Admin admin, String topic) {
    NewTopic newTopic =
        new NewTopic(topic, Optional.of(1), Optional.empty())
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    try {
      admin.createTopics(List.of(newTopic)).all().get();
      log.info("Created the registry topic '{}' (compacted, one partition)", topic);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw cannotPrepare(topic, e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KappaException("Interrupted while creating the registry topic '" + topic + "'", e);
    }
  }

  private static void check(Admin admin, TopicDescription description)
      throws ExecutionException, InterruptedException {
    String topic = description.name();
    List<String> problems = new ArrayList<>();
    if (description.partitions().size() != 1) {
      problems.add(
          "it has "
              + description.partitions().size()
              + " partitions, and every instance must read the commands in one order");
    }
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Config config = admin.describeConfigs(Set.of(resource)).all().get().get(resource);
    String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
    if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)
        || policy.contains(TopicConfig.CLEANUP_POLICY_DELETE)) {
      problems.add(
          "its cleanup.policy is '"
              + policy
              + "', and time or size retention would delete the history of versions");
    }
    if (!problems.isEmpty()) {
      throw new KappaException(
          "Cannot use '"
              + topic
              + "' as the registry topic: "
              + String.join("; ", problems)
              + ". Give the registry a topic with one partition and cleanup.policy=compact.");
    }
  }

  private static KappaException cannotPrepare(String topic, Throwable cause) {
    return new KappaException(
        "Cannot prepare the registry topic '" + topic + "': " + cause.getMessage(), cause);
  }

  /** Stops reading and closes the clients. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    consumer.wakeup();
    try {
      reader.join(TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!reader.isAlive()) {
      consumer.close();
    }
    producer.close(TIMEOUT);
    pending.values().forEach(waiting -> waiting.cancel(false));
  }

  @Override
  public String toString() {
    return "Registry[" + topic + ", " + instance + ", position " + position + "]";
  }

  private record Outcome(boolean folded, Optional<String> refusal) {}
}
