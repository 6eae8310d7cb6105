package dev.kappa.examples.demo;

import dev.kappa.embedded.EmbeddedKafka;
import dev.kappa.reprocessing.JobHost;
import dev.kappa.reprocessing.JobHost.Retirement;
import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.ReplaySettings;
import dev.kappa.reprocessing.StartOptions;
import dev.kappa.reprocessing.registry.JobHistory;
import dev.kappa.reprocessing.registry.VersionState;
import dev.kappa.reprocessing.registry.VersionStatus;
import dev.kappa.reprocessing.replay.ReplayPlan;
import dev.kappa.topology.KappaException;
import dev.kappa.topology.runtime.RunningJob;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo behind {@code ./demo}: the whole reprocessing loop of one example job ({@code --job},
 * {@link DemoJob}) on generated records, served over HTTP by two instances of the Kappa service
 * ({@link DemoServices}) in this JVM. The loop is the same for every job; the job's {@link
 * DemoWorkload} generates its records, prints its tables and names its URLs.
 *
 * <ol>
 *   <li>It starts the instances on {@code --port} (8080) and {@code --port2} (8081), each with its
 *       own state directory, following one registry and hosting only the job, and prints their URLs
 *       and the demo's admin token. It runs v1 of the job on them and every 5 seconds prints a few
 *       values of its serving tables, read by table name through the first instance's queries (from
 *       the other instance for the keys it holds), which answer from the active version. The same
 *       values answer over HTTP at the printed URLs.
 *   <li>After {@code --reprocess-after} seconds it starts v2, the job's change of logic. v2 replays
 *       the log from its beginning beside v1, which keeps serving; the demo prints v2's replay
 *       progress every 2 seconds.
 *   <li>When the registry lists v2 as caught up, it swaps to v2: the same queries now answer from
 *       v2, printed beside v1's values where the workload shows them.
 *   <li>5 seconds later it retires v1 and prints what that deleted. v2 goes on serving.
 * </ol>
 *
 * <p>With no {@code --bootstrap-servers} it starts a single-node Kafka in this JVM. It creates the
 * job's source topics (infinite retention, so that the log can be replayed), produces records at
 * {@code --rate} per second with the current time as event time, some of them bad so that dead
 * letters show, and runs until {@code --seconds} have passed or Ctrl-C, which stops everything
 * cleanly. On an existing cluster, the job must be new to its registry. A taken port stops the demo
 * before it starts anything, naming the option that sets it.
 *
 * <pre>
 * ./demo                                   # network-usage on an embedded Kafka, v2 after 20 s
 * ./demo --job page-hits                   # another job: page-hits, failed-logins, time-rollups,
 *                                          # incidents
 * ./demo --rate 10000 --seconds 90         # faster, for a minute and a half
 * ./demo --reprocess-after 3600            # drive the loop yourself with the admin calls
 * ./demo --port 9080 --port2 9081          # other HTTP ports
 * ./demo --bootstrap-servers broker:9092   # an existing cluster
 * </pre>
 *
 * Expected output of {@code ./demo} (abridged; the README shows more):
 *
 * <pre>
 * Started the Kappa service as two instances in this JVM: http://localhost:8080 and
 * http://localhost:8081 (admin token 'demo-admin-token', peer token 'demo-peer-token')
 * Running job 'network-usage' v1 (application id 'network-usage-v1'); producing 2000 readings/s ...
 *
 * Ask the service while the demo runs; either instance answers every key:
 *   jobs, versions, tables       http://localhost:8080/jobs
 *   a node's latest windows      http://localhost:8080/jobs/network-usage/tables/usage-by-node/keys/n-0001/windows
 *   ...
 *
 * network-usage at 22:48:58 UTC: generated 2000/s; v1 processed 2189/s, 14 dead letters, 0 late
 * answers from 'network-usage' v1
 * agent    window (UTC)             bytes  readings
 * a-00     22:48:00-22:49:00      64.9 MB      1130
 * ...
 * Started 'network-usage' v2 (application id 'network-usage-v2'): it replays 40,066 records ...
 * 'network-usage' v2: 22,599 of 40,256 records (56.1%), 5,038/s, about 3 s left, lag 43,554, ...
 *
 * 'network-usage' v2 has caught up. Swapped job 'network-usage' to v2: ...
 * Retired 'network-usage' v1: stopped it, deleted its local state, its consumer group
 * 'network-usage-v1' and 21 topics: ...
 * </pre>
 */
public final class KappaDemo {

  private static final Logger log = LoggerFactory.getLogger(KappaDemo.class);
  private static final Duration REPORT_EVERY = Duration.ofSeconds(5);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

  /** How long the demo shows v2's answers beside v1's before it retires v1. */
  private static final Duration RETIRE_AFTER_SWAP = Duration.ofSeconds(5);

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration RETIRE_TIMEOUT = Duration.ofSeconds(90);

  private final DemoOptions options;
  private final DemoWorkload workload;
  private final String job;
  private final JobVersion v1;
  private final JobVersion v2;
  private final PrintStream out;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean stopping;

  private KappaDemo(DemoOptions options, PrintStream out) {
    this.options = options;
    this.workload = options.job.workload(options);
    this.job = workload.job();
    this.v1 = JobVersion.of(job, 1);
    this.v2 = JobVersion.of(job, 2);
    this.out = out;
  }

  /** Runs the demo; see the class description for the options. */
  public static void main(String[] args) throws Exception {
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(DemoOptions.USAGE);
      System.exit(2);
      return;
    }
    try {
      run(options, System.out);
    } catch (DemoServices.PortTakenException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    }
  }

  /** Runs the demo with {@code options} until its time is up or the JVM is asked to stop. */
  static void run(DemoOptions options, PrintStream out) throws Exception {
    new KappaDemo(options, out).run();
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
    } catch (RuntimeException | InterruptedException e) {
      if (!stopping) {
        throw e;
      }
      // Ctrl-C during start-up interrupts whatever the main thread waited for.
      log.info("Stopped while starting: {}", e.toString());
    } finally {
      stopped.countDown();
      if (!stopping) {
        Runtime.getRuntime().removeShutdownHook(shutdown);
      }
    }
  }

  private void runUntilStopped() throws Exception {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("--port", options.port);
    ports.put("--port2", options.port2);
    // A taken port is reported before the broker starts, not after.
    DemoServices.checkPortsFree(ports);
    @Nullable EmbeddedKafka kafka = null;
    List<Path> stateDirs =
        List.of(
            Files.createTempDirectory("kappa-demo-state-a-"),
            Files.createTempDirectory("kappa-demo-state-b-"));
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
      try (DemoServices services =
              DemoServices.start(job, bootstrap, ports, stateDirs, replaySettings().catchUpLag());
          KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
        JobHost host = services.first();
        out.printf(
            "Started the Kappa service as two instances in this JVM: %s (admin token '%s', peer"
                + " token '%s')%n",
            String.join(" and ", services.urls()),
            DemoServices.ADMIN_TOKEN,
            DemoServices.PEER_TOKEN);
        try {
          JobHistory history = host.history(job);
          if (!history.versions().isEmpty()) {
            out.printf(
                "The registry of %s already lists versions of job '%s' (%s), and the demo starts"
                    + " from v1. Run it on a cluster where the job is new, or on its own embedded"
                    + " Kafka (no --bootstrap-servers).%n",
                bootstrap, job, history);
            return;
          }
          host.startVersion(job, v1.number(), StartOptions.defaults());
          if (awaitRunning(host, v1).isEmpty()) {
            return;
          }
          out.printf(
              "Running job '%s' v1 (application id '%s'); producing %s; v2 replays the log after"
                  + " %d s. Ctrl-C stops.%n",
              job,
              v1.applicationId(),
              workload.describeRate(options.rate),
              options.reprocessAfter.toSeconds());
          List<String> urls = services.urls();
          DemoUrls.print(out, job, urls, workload.urls(urls.get(0), urls.get(1)));
          produceAndReport(services, producer);
        } finally {
          // The host and the producer close after this: clear Ctrl-C's interrupt, as below.
          Thread.interrupted();
        }
      }
    } finally {
      // Ctrl-C interrupts the main thread; closing must still wait for the versions and the broker.
      Thread.interrupted();
      if (kafka != null) {
        kafka.close();
      }
      for (Path stateDir : stateDirs) {
        Utils.delete(stateDir.toFile());
      }
      out.println("Stopped.");
    }
  }

  /**
   * A version is caught up when it is within about a second of the live input on every partition,
   * so that the loop also completes at a high {@code --rate}.
   */
  private ReplaySettings replaySettings() {
    ReplaySettings defaults = ReplaySettings.defaults();
    return defaults.withCatchUpLag(
        Math.max(defaults.catchUpLag(), options.rate / options.partitions));
  }

  /** Waits until the host runs {@code version}; empty if the demo is stopped meanwhile. */
  private Optional<RunningJob> awaitRunning(JobHost host, JobVersion version) {
    // The host starts a version when the registry's command reaches it, on its own thread.
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    Optional<RunningJob> running = host.running(version);
    while (running.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new KappaException(
            "The host does not run " + version + " " + START_TIMEOUT + " after it was started");
      }
      if (!pause(Duration.ofMillis(100))) {
        return Optional.empty();
      }
      running = host.running(version);
    }
    running.get().awaitRunning(START_TIMEOUT);
    return running;
  }

  private void produceAndReport(DemoServices services, KafkaProducer<String, byte[]> producer) {
    JobHost host = services.first();
    long started = System.nanoTime();
    long deadline =
        options.seconds == null
            ? Long.MAX_VALUE
            : started + TimeUnit.SECONDS.toNanos(options.seconds);
    long nextReport = started + REPORT_EVERY.toNanos();
    long produced = 0;
    DemoReport report = new DemoReport(services, workload, out, started);
    ReprocessingLoop loop = new ReprocessingLoop(host, started);
    try {
      while (!stopping && System.nanoTime() < deadline) {
        // Keep the rate: produce what is due by now, then sleep until the next millisecond's share.
        long due = (long) ((System.nanoTime() - started) / 1e9 * options.rate);
        Instant now = Instant.now();
        while (produced < due) {
          for (ProducerRecord<String, byte[]> record : workload.next(now)) {
            producer.send(
                record,
                (metadata, error) -> {
                  if (error != null && !stopping) {
                    log.warn("Cannot produce a record of job '{}': {}", job, error.toString());
                  }
                });
          }
          produced++;
        }
        boolean showNow = loop.step(System.nanoTime());
        if (showNow || System.nanoTime() >= nextReport) {
          report.print(produced, loop.showsV1BesideV2());
          nextReport = System.nanoTime() + REPORT_EVERY.toNanos();
        }
        if (!pause(Duration.ofMillis(1))) {
          break;
        }
      }
    } finally {
      Thread.interrupted();
      producer.flush();
      loop.finish();
    }
  }

  /** Sleeps; false if interrupted, which is how Ctrl-C stops the demo (see the shutdown hook). */
  private static boolean pause(Duration time) {
    try {
      Thread.sleep(time.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The steps of the reprocessing loop, taken by the demo's main thread as they fall due. */
  private enum Phase {
    V1_ONLY,
    REPLAYING,
    SWAPPED,
    RETIRING,
    DONE
  }

  /** Starts v2, reports its replay, swaps to it when it has caught up, then retires v1. */
  private final class ReprocessingLoop {
    private final JobHost host;
    private final long startV2At;
    // Retiring waits for v1's stream threads to leave its group, so it runs beside the producer.
    private final ExecutorService retirer =
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "demo-retire");
              thread.setDaemon(true);
              return thread;
            });
    private Phase phase = Phase.V1_ONLY;
    private long nextProgress;
    private long retireAt;
    private @Nullable CompletableFuture<Retirement> retirement;

    ReprocessingLoop(JobHost host, long started) {
      this.host = host;
      this.startV2At = started + options.reprocessAfter.toNanos();
    }

    /** Takes the next step if it is due; true if the tables should be shown now. */
    boolean step(long now) {
      switch (phase) {
        case V1_ONLY -> {
          if (now >= startV2At) {
            startV2(now);
          }
        }
        case REPLAYING -> {
          if (caughtUp()) {
            printProgress();
            swap(now);
            return phase == Phase.SWAPPED;
          }
          if (now >= nextProgress) {
            printProgress();
            nextProgress = now + PROGRESS_EVERY.toNanos();
          }
        }
        case SWAPPED -> {
          if (now >= retireAt) {
            out.printf("%nRetiring %s ...%n", v1);
            retirement =
                CompletableFuture.supplyAsync(() -> host.retire(job, v1.number()), retirer);
            phase = Phase.RETIRING;
          }
        }
        case RETIRING -> {
          if (retirement != null && retirement.isDone()) {
            printRetirement(retirement);
          }
        }
        case DONE -> {
          // the loop is over; v2 serves
        }
      }
      return false;
    }

    /** Whether v2 is active and v1 still runs, so that a report can show both. */
    boolean showsV1BesideV2() {
      return phase == Phase.SWAPPED;
    }

    /** Waits for a retirement under way, so that the host is not closed under it. */
    void finish() {
      if (phase == Phase.RETIRING && retirement != null) {
        try {
          retirement.get(RETIRE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
          // printed below
        }
        if (retirement.isDone()) {
          printRetirement(retirement);
        }
      }
      retirer.shutdownNow();
    }

    private void startV2(long now) {
      try {
        ReplayPlan plan = host.startVersion(job, v2.number(), StartOptions.defaults());
        out.printf(
            "%nStarted %s (application id '%s'): it replays %,d records from the beginning of the"
                + " log, beside v1, which keeps serving.%n",
            v2, v2.applicationId(), plan.records());
        phase = Phase.REPLAYING;
        nextProgress = now + PROGRESS_EVERY.toNanos();
      } catch (KappaException e) {
        giveUp("start " + v2, e);
      }
    }

    private boolean caughtUp() {
      return host.history(job)
          .version(v2.number())
          .map(VersionState::status)
          .filter(status -> status == VersionStatus.CAUGHT_UP)
          .isPresent();
    }

    private void printProgress() {
      out.println(
          host.progress(v2)
              .map(Object::toString)
              .orElse(v2 + ": starting (no progress measured yet)"));
    }

    private void swap(long now) {
      try {
        host.swap(job, v2.number());
        out.printf(
            "%n%s has caught up. Swapped job '%s' to v2: the same queries now answer from v2's"
                + " tables.%n",
            v2, job);
        phase = Phase.SWAPPED;
        retireAt = now + RETIRE_AFTER_SWAP.toNanos();
      } catch (KappaException e) {
        giveUp("swap to " + v2, e);
      }
    }

    private void printRetirement(CompletableFuture<Retirement> done) {
      try {
        Retirement retired = done.join();
        out.printf(
            "Retired %s: stopped it, deleted its local state, its consumer group '%s' and %d"
                + " topics:%n",
            retired.version(), retired.deletedGroup(), retired.deletedTopics().size());
        new TreeSet<>(retired.deletedTopics()).forEach(topic -> out.println("  " + topic));
        out.printf("%s serves on.%n", v2);
      } catch (RuntimeException e) {
        giveUp("retire " + v1, e.getCause() != null ? e.getCause() : e);
      }
      phase = Phase.DONE;
    }

    private void giveUp(String what, Throwable e) {
      phase = Phase.DONE;
      if (!stopping) {
        out.printf("Cannot %s: %s%n", what, e.getMessage());
        log.warn("Cannot {}", what, e);
      }
    }
  }

  private void createTopics(String bootstrap) throws InterruptedException {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      List<NewTopic> topics = new ArrayList<>();
      for (String topic : workload.sourceTopics()) {
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
}
