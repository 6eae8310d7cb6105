package dev.kappa.examples.networkusage;

import dev.kappa.embedded.EmbeddedKafka;
import dev.kappa.examples.networkusage.UsageGenerator.GeneratedRecord;
import dev.kappa.examples.networkusage.UsageGenerator.Mix;
import dev.kappa.examples.networkusage.UsageGenerator.Shape;
import dev.kappa.topology.JobTopology;
import dev.kappa.topology.runtime.JobConfig;
import dev.kappa.topology.runtime.RunningJob;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo: runs the {@link NetworkUsageJob} on generated readings and prints the latest window of
 * every agent every few seconds.
 *
 * <p>With no {@code --bootstrap-servers} it starts a single-node Kafka in this JVM. It creates the
 * topics (infinite retention on the sources, so that the log can be replayed), produces readings at
 * {@code --rate} per second with the current time as event time, and runs the job. Ctrl-C stops
 * everything cleanly.
 *
 * <pre>
 * ./demo                                   # embedded Kafka, 2,000 readings/s
 * ./demo --rate 10000 --seconds 60         # faster, for one minute
 * ./demo --bootstrap-servers broker:9092   # an existing cluster
 * </pre>
 *
 * Expected output, every 5 seconds:
 *
 * <pre>
 * network-usage at 10:01:05 UTC: generated 2000/s, processed 1996/s, dead letters 3, dropped 3
 * agent    window (UTC)        bytes     readings
 * a-00     10:00:00-10:01:00   4.2 MB    6012
 * ...
 * network  10:00:00-10:01:00   42.1 MB   60118
 * </pre>
 */
public final class NetworkUsageDemo {

  private static final Logger log = LoggerFactory.getLogger(NetworkUsageDemo.class);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final Duration REPORT_EVERY = Duration.ofSeconds(5);

  private final Options options;
  private final PrintStream out;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean stopping;

  private NetworkUsageDemo(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Runs the demo; see the class description for the options. */
  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }
    run(options, System.out);
  }

  /** Runs the demo with {@code options} until its time is up or the JVM is asked to stop. */
  static void run(Options options, PrintStream out) throws Exception {
    new NetworkUsageDemo(options, out).run();
  }

  private void run() throws Exception {
    Thread main = Thread.currentThread();
    Thread shutdown =
        new Thread(
            () -> {
              stopping = true;
              main.interrupt();
              awaitStopped();
            },
            "demo-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdown);
    try {
      runUntilStopped();
    } finally {
      stopped.countDown();
      if (!stopping) {
        Runtime.getRuntime().removeShutdownHook(shutdown);
      }
    }
  }

  private void runUntilStopped() throws Exception {
    @Nullable EmbeddedKafka kafka = null;
    Path stateDir = Files.createTempDirectory("kappa-demo-state-");
    try {
      String bootstrap = options.bootstrapServers;
      if (bootstrap == null) {
        kafka = EmbeddedKafka.start();
        bootstrap = kafka.bootstrapServers();
        out.printf(
            "Started an embedded Kafka at %s in %d ms%n",
            bootstrap, kafka.startupTime().toMillis());
      }
      createTopics(bootstrap);
      JobTopology topology = NetworkUsageJob.job().topology();
      JobConfig config = JobConfig.builder(bootstrap).stateDirectory(stateDir).build();
      try (RunningJob job = RunningJob.start(topology, config);
          KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
        job.awaitRunning(Duration.ofSeconds(60));
        out.printf(
            "Running job '%s' (application id '%s'); producing %d readings/s of %d customers. Ctrl-C stops.%n",
            topology.job().name(),
            topology.applicationId(),
            options.rate,
            options.shape.customers());
        produceAndReport(job, producer);
      }
    } finally {
      if (kafka != null) {
        kafka.close();
      }
      Utils.delete(stateDir.toFile());
      out.println("Stopped.");
    }
  }

  private void produceAndReport(RunningJob job, KafkaProducer<String, byte[]> producer) {
    UsageGenerator generator = new UsageGenerator(options.seed, options.shape, Mix.DEMO);
    long started = System.nanoTime();
    long deadline =
        options.seconds == null
            ? Long.MAX_VALUE
            : started + TimeUnit.SECONDS.toNanos(options.seconds);
    long nextReport = started + REPORT_EVERY.toNanos();
    long produced = 0;
    Report report = new Report(job, started);
    while (!stopping && System.nanoTime() < deadline) {
      // Keep the rate: produce what is due by now, then sleep until the next millisecond's share.
      long due = (long) ((System.nanoTime() - started) / 1e9 * options.rate);
      Instant now = Instant.now();
      while (produced < due) {
        for (GeneratedRecord record : generator.next(now)) {
          producer.send(
              record.toProducerRecord(),
              (metadata, error) -> {
                if (error != null && !stopping) {
                  log.warn("Cannot produce a reading: {}", error.toString());
                }
              });
        }
        produced++;
      }
      if (System.nanoTime() >= nextReport) {
        report.print(produced);
        nextReport += REPORT_EVERY.toNanos();
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        // Ctrl-C: the shutdown hook interrupts us to stop.
        Thread.currentThread().interrupt();
        break;
      }
    }
    Thread.interrupted();
    producer.flush();
  }

  /** Prints the demo's view: rates, dead letters, and the latest window of each agent. */
  private final class Report {
    private final RunningJob job;
    private long lastTime;
    private long lastProduced;
    private long lastConsumed;

    Report(RunningJob job, long started) {
      this.job = job;
      this.lastTime = started;
    }

    void print(long produced) {
      long now = System.nanoTime();
      double seconds = (now - lastTime) / 1e9;
      long consumed = job.committedPosition(NetworkUsageJob.USAGE_EVENTS.topic());
      out.printf(
          "%nnetwork-usage at %s UTC: generated %.0f/s, processed %.0f/s, dead letters %d, dropped %d%n",
          TIME.format(Instant.now()),
          (produced - lastProduced) / seconds,
          (consumed - lastConsumed) / seconds,
          job.deadLetters().total(),
          job.droppedRecords());
      lastTime = now;
      lastProduced = produced;
      lastConsumed = consumed;
      out.printf("%-8s %-19s %10s %9s%n", "agent", "window (UTC)", "bytes", "readings");
      latestWindows(job.streams(), NetworkUsageJob.USAGE_BY_AGENT.name()).forEach(this::printRow);
      latestWindows(job.streams(), NetworkUsageJob.USAGE_NETWORK.name()).forEach(this::printRow);
    }

    private void printRow(String key, KeyValue<Windowed<String>, Usage> latest) {
      Instant start = latest.key.window().startTime();
      Instant end = latest.key.window().endTime();
      out.printf(
          "%-8s %-19s %10s %9d%n",
          key,
          TIME.format(start) + "-" + TIME.format(end),
          megabytes(latest.value.bytes()),
          latest.value.readings());
    }
  }

  /** The latest window of every key of a windowed usage table, by key. */
  static Map<String, KeyValue<Windowed<String>, Usage>> latestWindows(
      KafkaStreams streams, String table) {
    Map<String, KeyValue<Windowed<String>, Usage>> latest = new TreeMap<>();
    Instant now = Instant.now();
    try {
      ReadOnlyWindowStore<String, Usage> store =
          streams.store(
              StoreQueryParameters.fromNameAndType(table, QueryableStoreTypes.windowStore()));
      try (KeyValueIterator<Windowed<String>, Usage> windows =
          store.fetchAll(now.minus(Duration.ofMinutes(3)), now)) {
        windows.forEachRemaining(
            window ->
                latest.merge(
                    window.key.key(),
                    window,
                    (a, b) -> a.key.window().start() >= b.key.window().start() ? a : b));
      }
    } catch (InvalidStateStoreException rebalancingOrRestoring) {
      // The store is briefly unavailable while the instance rebalances; the next report shows it.
    }
    return latest;
  }

  private static String megabytes(long bytes) {
    return String.format("%.1f MB", bytes / 1_000_000.0);
  }

  private void createTopics(String bootstrap) throws InterruptedException {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      List<NewTopic> topics = new ArrayList<>();
      for (String topic :
          List.of(NetworkUsageJob.USAGE_EVENTS.topic(), NetworkUsageJob.NODE_ALARMS.topic())) {
        // Sources keep their whole history, so that a new version of the job can replay it.
        topics.add(
            new NewTopic(topic, Optional.of(options.partitions), Optional.empty())
                .configs(Map.of("retention.ms", "-1")));
      }
      admin
          .createTopics(topics)
          .values()
          .forEach(
              (topic, result) -> {
                try {
                  result.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                  if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException(
                        "Cannot create topic '" + topic + "': " + e.getCause().getMessage(), e);
                  }
                } catch (java.util.concurrent.TimeoutException e) {
                  throw new IllegalStateException(
                      "Cannot create topic '" + topic + "': no answer within 30 s", e);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new IllegalStateException(
                      "Interrupted while creating topic '" + topic + "'", e);
                }
              });
    }
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            10,
            ProducerConfig.BATCH_SIZE_CONFIG,
            256 * 1024,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class));
  }

  private void awaitStopped() {
    try {
      if (!stopped.await(60, TimeUnit.SECONDS)) {
        System.err.println("The demo did not stop within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The command-line options. */
  static final class Options {
    static final String USAGE =
        "Usage: demo [--bootstrap-servers host:port] [--rate readings-per-second] [--seconds run-time]\n"
            + "            [--customers n] [--nodes n] [--agents n] [--partitions n] [--seed n]";

    @Nullable String bootstrapServers;
    int rate = 2_000;
    @Nullable Long seconds;
    Shape shape = Shape.of(100_000, 500, 10);
    int partitions = 3;
    long seed = 42;

    static Options parse(String[] args) {
      Options options = new Options();
      int customers = options.shape.customers();
      int nodes = options.shape.nodes();
      int agents = options.shape.agents();
      for (int i = 0; i < args.length; i++) {
        String name = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("Option " + name + " needs a value");
        }
        String value = args[++i];
        switch (name) {
          case "--bootstrap-servers" -> options.bootstrapServers = value;
          case "--rate" -> options.rate = positive(name, value);
          case "--seconds" -> options.seconds = (long) positive(name, value);
          case "--customers" -> customers = positive(name, value);
          case "--nodes" -> nodes = positive(name, value);
          case "--agents" -> agents = positive(name, value);
          case "--partitions" -> options.partitions = positive(name, value);
          case "--seed" -> options.seed = seed(value);
          default -> throw new IllegalArgumentException("Unknown option " + name);
        }
      }
      options.shape = Shape.of(customers, nodes, agents);
      return options;
    }

    private static long seed(String value) {
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "Option --seed needs a whole number, got '" + value + "'", e);
      }
    }

    private static int positive(String name, String value) {
      try {
        int number = Integer.parseInt(value);
        if (number > 0) {
          return number;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(
          "Option " + name + " needs a positive whole number, got '" + value + "'");
    }
  }
}
