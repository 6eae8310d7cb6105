package dev.kappa.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka cluster (broker and KRaft controller in one node), started inside
 * this JVM from the Kafka jars, on free loopback ports and a fresh log directory.
 *
 * <p>It is configured so that exactly-once processing works on one node (replication factor 1 and
 * min ISR 1 for the offsets, transaction and share-group state topics) and so that consumer groups
 * form without the initial rebalance delay. {@link #close()} shuts the node down and deletes its
 * log directory.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
 *     kafka.createTopic("usage-events", 3, Map.of());
 *     Map<String, Object> config = Map.of("bootstrap.servers", kafka.bootstrapServers());
 *     // ... run producers, consumers and Kafka Streams against it
 * }
 * }</pre>
 *
 * <p>Thread-safety: all methods may be called from any thread; {@link #close()} is idempotent.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final int NODE_ID = 1;
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final int START_ATTEMPTS = 3;

  private final KafkaConfig config;
  private @Nullable KafkaRaftServer server;
  private final Path directory;
  private final boolean keepLogs;
  private final String bootstrapServers;
  private final Duration startupTime;
  private final Admin admin;
  private boolean closed;

  private EmbeddedKafka(
      KafkaConfig config,
      KafkaRaftServer server,
      Path directory,
      String bootstrapServers,
      Duration startupTime,
      boolean keepLogs) {
    this.config = config;
    this.keepLogs = keepLogs;
    this.server = server;
    this.directory = directory;
    this.bootstrapServers = bootstrapServers;
    this.startupTime = startupTime;
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  /** Starts a node with the default settings. Blocks until the broker accepts clients. */
  public static EmbeddedKafka start() {
    return start(Map.of());
  }

  /**
   * Starts a node, with {@code brokerOverrides} applied over the defaults (for example {@code
   * num.partitions} or {@code log.retention.check.interval.ms}). Blocks until the broker accepts
   * clients.
   *
   * @throws IllegalStateException if the node cannot start within three attempts
   */
  public static EmbeddedKafka start(Map<String, String> brokerOverrides) {
    RuntimeException lastFailure = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      try {
        return startOnce(brokerOverrides, freePort());
      } catch (PortTakenException e) {
        // Free ports are found by binding and releasing them; another process may win the race.
        log.warn(
            "Embedded Kafka could not bind its ports (attempt {}): {}", attempt, e.getMessage());
        lastFailure = e;
      }
    }
    throw new IllegalStateException(
        "Cannot start embedded Kafka: no free ports after " + START_ATTEMPTS + " attempts",
        lastFailure);
  }

  /**
   * Starts a node whose clients connect at {@code localhost:brokerPort}, with the default settings,
   * for a test that gives a client that address before the broker runs.
   *
   * @throws IllegalStateException if the port is taken
   */
  public static EmbeddedKafka startOnPort(int brokerPort) {
    try {
      return startOnce(Map.of(), brokerPort);
    } catch (PortTakenException e) {
      throw new IllegalStateException("Cannot start embedded Kafka on port " + brokerPort, e);
    }
  }

  /**
   * Starts a node that keeps its logs in {@code directory} and listens on {@code brokerPort} (and
   * {@code controllerPort} for its controller), formatting the directory only if it is new: a node
   * started again in the same directory has the topics and records of the one before, as a
   * restarted broker does. {@link #close()} leaves the directory in place.
   *
   * @throws IllegalStateException if a port is taken
   */
  public static EmbeddedKafka startIn(
      Path directory, int brokerPort, int controllerPort, Map<String, String> brokerOverrides) {
    try {
      return startOnce(brokerOverrides, brokerPort, controllerPort, directory, true);
    } catch (PortTakenException e) {
      throw new IllegalStateException(
          "Cannot start embedded Kafka on ports " + brokerPort + " and " + controllerPort, e);
    }
  }

  /** A port that is free now, for {@link #startOnPort}. */
  public static int freePortNow() {
    return freePort();
  }

  private static EmbeddedKafka startOnce(Map<String, String> brokerOverrides, int brokerPort) {
    return startOnce(brokerOverrides, brokerPort, freePort(), createDirectory(), false);
  }

  private static EmbeddedKafka startOnce(
      Map<String, String> brokerOverrides,
      int brokerPort,
      int controllerPort,
      Path directory,
      boolean keepLogs) {
    long started = System.nanoTime();
    Properties properties = brokerProperties(directory, brokerPort, controllerPort);
    properties.putAll(brokerOverrides);
    KafkaConfig config = KafkaConfig.fromProps(properties, false);
    try {
      if (!Files.exists(directory.resolve("data").resolve("meta.properties"))) {
        format(config, directory);
      }
      KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
      try {
        server.startup();
      } catch (RuntimeException e) {
        shutdownQuietly(server);
        throw e;
      }
      String bootstrapServers = "localhost:" + brokerPort;
      Duration startupTime = Duration.ofNanos(System.nanoTime() - started);
      log.info("Embedded Kafka ready at {} in {} ms", bootstrapServers, startupTime.toMillis());
      return new EmbeddedKafka(config, server, directory, bootstrapServers, startupTime, keepLogs);
    } catch (RuntimeException e) {
      if (!keepLogs) {
        deleteRecursively(directory);
      }
      if (hasCause(e, BindException.class)) {
        throw new PortTakenException(e);
      }
      throw e;
    }
  }

  private static Properties brokerProperties(Path directory, int brokerPort, int controllerPort) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("process.roles", "broker,controller");
    settings.put("node.id", String.valueOf(NODE_ID));
    settings.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
    settings.put("controller.listener.names", CONTROLLER_LISTENER);
    settings.put(
        "listeners",
        "PLAINTEXT://localhost:"
            + brokerPort
            + ","
            + CONTROLLER_LISTENER
            + "://localhost:"
            + controllerPort);
    settings.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
    settings.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    settings.put("inter.broker.listener.name", "PLAINTEXT");
    settings.put("log.dirs", directory.resolve("data").toString());
    // One node: every internal topic has one replica, and exactly-once needs min ISR 1 to commit.
    settings.put("offsets.topic.replication.factor", "1");
    settings.put("offsets.topic.num.partitions", "4");
    settings.put("transaction.state.log.replication.factor", "1");
    settings.put("transaction.state.log.min.isr", "1");
    settings.put("transaction.state.log.num.partitions", "4");
    settings.put("share.coordinator.state.topic.replication.factor", "1");
    settings.put("share.coordinator.state.topic.min.isr", "1");
    settings.put("group.initial.rebalance.delay.ms", "0");
    settings.put("num.partitions", "1");
    Properties properties = new Properties();
    properties.putAll(settings);
    return properties;
  }

  private static void format(KafkaConfig config, Path directory) {
    String dataDirectory = directory.resolve("data").toString();
    Formatter formatter =
        new Formatter()
            .setNodeId(NODE_ID)
            .setClusterId(Uuid.randomUuid().toString())
            .setDirectories(List.of(dataDirectory))
            .setMetadataLogDirectory(config.metadataLogDir())
            .setControllerListenerName(CONTROLLER_LISTENER)
            .setReleaseVersion(MetadataVersion.latestProduction())
            .setPrintStream(new PrintStream(OutputStream.nullOutputStream()));
    try {
      formatter.run();
    } catch (Exception e) {
      throw new IllegalStateException(
          "Cannot format the embedded Kafka log directory " + dataDirectory, e);
    }
  }

  /** The {@code bootstrap.servers} value for clients of this node, {@code localhost:<port>}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * How long {@link #start()} took, from creating the log directory to the broker accepting
   * clients.
   */
  public Duration startupTime() {
    return startupTime;
  }

  /**
   * Creates a topic with one replica and the given topic-level configuration (for example {@code
   * retention.ms=-1}), and waits until the broker serves its metadata and every partition's leader
   * takes writes, so that clients see it and write to it at once. Does nothing if the topic already
   * exists.
   */
  public void createTopic(String name, int partitions, Map<String, String> topicConfig) {
    NewTopic topic =
        new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(topicConfig);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try {
      try {
        admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException(
              "Cannot create topic '" + name + "': " + e.getCause().getMessage(), e);
        }
      }
      // The controller has the topic; the broker's metadata follows a moment later.
      while (true) {
        try {
          TopicDescription description =
              admin
                  .describeTopics(List.of(name))
                  .allTopicNames()
                  .get(30, TimeUnit.SECONDS)
                  .get(name);
          // And each partition's leader takes writes a moment after that. A write before then is
          // refused with NOT_LEADER_OR_FOLLOWER, and an idempotent producer's retry of it can be
          // refused with OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout, losing the
          // batch. The leader answers a list-offsets request once it takes writes; the admin
          // client retries it until then.
          Map<TopicPartition, OffsetSpec> ends = new LinkedHashMap<>();
          description
              .partitions()
              .forEach(
                  partition ->
                      ends.put(
                          new TopicPartition(name, partition.partition()), OffsetSpec.latest()));
          admin.listOffsets(ends).all().get(30, TimeUnit.SECONDS);
          return;
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
              || System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "Cannot see topic '" + name + "' after creating it: " + e.getCause().getMessage(),
                e);
          }
          Thread.sleep(20);
        }
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Cannot create topic '" + name + "': no answer within 30 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topic '" + name + "'", e);
    }
  }

  /**
   * The value of the topic-level setting {@code name} of {@code topic}, as the broker applies it.
   */
  public String topicConfig(String topic, String name) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try {
      return admin
          .describeConfigs(List.of(resource))
          .all()
          .get(30, TimeUnit.SECONDS)
          .get(resource)
          .get(name)
          .value();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot read " + name + " of topic '" + topic + "'", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reading the topic '" + topic + "'", e);
    }
  }

  /**
   * Reads {@code topic} from its earliest offsets, committed records only (as a consumer of a job's
   * exactly-once output reads them), until at least {@code atLeast} records have arrived and five
   * polls in a row bring nothing more, or {@code timeout} has passed.
   */
  public List<ConsumerRecord<byte[], byte[]>> readCommitted(
      String topic, int atLeast, Duration timeout) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.GROUP_ID_CONFIG,
            "embedded-kafka-reader-" + Uuid.randomUuid(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      int emptyPolls = 0;
      while (System.nanoTime() < deadline && (records.size() < atLeast || emptyPolls < 5)) {
        int before = records.size();
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        emptyPolls = records.size() == before ? emptyPolls + 1 : 0;
      }
    }
    return records;
  }

  /**
   * Shuts the node down as a broker restart does, keeping its log directory and its ports for
   * {@link #restart()}. Clients see a broker that does not answer.
   */
  public synchronized void stop() {
    if (server != null) {
      shutdownQuietly(server);
      server = null;
      log.info("Embedded Kafka at {} stopped", bootstrapServers);
    }
  }

  /**
   * Starts the node that {@link #stop()} shut down again, on the same ports with the same logs.
   * Blocks until the broker accepts clients.
   *
   * @throws IllegalStateException if the node runs, or its ports stay taken for 30 s
   */
  public synchronized void restart() {
    if (server != null || closed) {
      throw new IllegalStateException("The node at " + bootstrapServers + " is not stopped");
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      KafkaRaftServer restarted = new KafkaRaftServer(config, Time.SYSTEM);
      try {
        restarted.startup();
        server = restarted;
        log.info("Embedded Kafka at {} restarted", bootstrapServers);
        return;
      } catch (RuntimeException e) {
        shutdownQuietly(restarted);
        if (!hasCause(e, BindException.class) || System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "Cannot restart embedded Kafka at " + bootstrapServers, e);
        }
      }
      try {
        Thread.sleep(200); // the old sockets are still closing
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while restarting embedded Kafka", e);
      }
    }
  }

  /**
   * Shuts the node down and deletes its log directory, unless it was started by {@link #startIn}.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    admin.close(Duration.ofSeconds(5));
    if (server != null) {
      shutdownQuietly(server);
    }
    if (!keepLogs) {
      deleteRecursively(directory);
    }
  }

  private static void shutdownQuietly(KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      log.warn("Embedded Kafka did not shut down cleanly", e);
    }
  }

  private static Path createDirectory() {
    try {
      return Files.createTempDirectory("kappa-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a log directory for embedded Kafka", e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find a free port for embedded Kafka", e);
    }
  }

  private static void deleteRecursively(Path root) {
    try {
      Utils.delete(root.toFile());
    } catch (IOException e) {
      log.warn("Cannot delete embedded Kafka directory {}: {}", root, e.toString());
    }
  }

  private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }

  private static final class PortTakenException extends RuntimeException {
    PortTakenException(Throwable cause) {
      super(cause.getMessage(), cause);
    }
  }
}
