package dev.kappa.benchmarks.serving;

import dev.kappa.api.VersionedJob;
import dev.kappa.benchmarks.internal.BrokerProcess;
import dev.kappa.benchmarks.internal.GroupProgress;
import dev.kappa.benchmarks.internal.InProcessService;
import dev.kappa.benchmarks.internal.Options;
import dev.kappa.benchmarks.internal.Polling;
import dev.kappa.benchmarks.internal.ResultsFile;
import dev.kappa.benchmarks.scenarios.WindowedAggregation;
import dev.kappa.benchmarks.workload.Workload;
import dev.kappa.reprocessing.JobVersion;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Two instances of the service in this process, on ports of their own, with state directories of
 * their own and one registry topic, hosting two versions of the windowed aggregation as a job
 * called {@code job}: v1 as {@link WindowedAggregation#job(String)}, v2 as {@link
 * WindowedAggregation#largeReadingsOnly(String)}. They start v1 (the service starts the first
 * version of a job that has none), and {@link #start} returns once v1 has processed every reading
 * written so far. Admin calls take the bearer token {@link #ADMIN_TOKEN}.
 *
 * <p>As a command ({@code ./bench --serve}), it preloads the workload into a broker process and
 * serves it for {@code --seconds}, so that {@link QueryLoad} has something to query when no service
 * runs: {@code --records} (500,000), {@code --keys} (100,000), {@code --seconds} (600), {@code
 * --bootstrap-servers} (none: start a broker).
 */
public final class TwoInstances implements AutoCloseable {

  /** The admin token of both instances. */
  public static final String ADMIN_TOKEN = "bench-admin";

  private static final String PEER_TOKEN = "bench-peer";

  private final String job;
  private final InProcessService a;
  private final InProcessService b;
  private final Duration v1Processed;

  private TwoInstances(String job, InProcessService a, InProcessService b, Duration v1Processed) {
    this.job = job;
    this.a = a;
    this.b = b;
    this.v1Processed = v1Processed;
  }

  /**
   * Starts both instances against {@code bootstrapServers}, with state under {@code stateRoot}, and
   * waits until v1 has processed the readings there, printing what it waits for to {@code out}.
   */
  public static TwoInstances start(
      String bootstrapServers, Path stateRoot, String job, PrintStream out) {
    VersionedJob versions =
        VersionedJob.of(
            Map.of(1, WindowedAggregation.job(job), 2, WindowedAggregation.largeReadingsOnly(job)));
    long started = System.nanoTime();
    InProcessService a =
        InProcessService.start(properties(bootstrapServers, stateRoot, job, "a"), versions);
    try {
      InProcessService b =
          InProcessService.start(properties(bootstrapServers, stateRoot, job, "b"), versions);
      try {
        out.printf("Instances %s and %s host job '%s'%n", a.name(), b.name(), job);
        String group = JobVersion.of(job, 1).consumerGroup();
        Polling.until(
            "v1 of job '" + job + "' has processed the readings",
            Duration.ofMinutes(30),
            out,
            () -> GroupProgress.remaining(bootstrapServers, group, Set.of(Workload.READINGS)) == 0);
        return new TwoInstances(job, a, b, Duration.ofNanos(System.nanoTime() - started));
      } catch (RuntimeException e) {
        b.close();
        throw e;
      }
    } catch (RuntimeException e) {
      a.close();
      throw e;
    }
  }

  private static Map<String, Object> properties(
      String bootstrapServers, Path stateRoot, String job, String instance) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("kappa.bootstrap-servers", bootstrapServers);
    properties.put("kappa.state-directory", stateRoot.resolve(instance).toString());
    properties.put("kappa.registry-topic", job + "-registry");
    properties.put("kappa.security.admin-tokens", ADMIN_TOKEN);
    properties.put("kappa.security.peer-token", PEER_TOKEN);
    // as every throughput scenario: Kafka Streams' exactly-once default
    properties.put("kappa.kafka.commit.interval.ms", "100");
    return properties;
  }

  /** The job's name. */
  public String job() {
    return job;
  }

  /** The first instance. */
  public InProcessService a() {
    return a;
  }

  /** The second instance. */
  public InProcessService b() {
    return b;
  }

  /** Both instances' URLs. */
  public List<URI> urls() {
    return List.of(a.url(), b.url());
  }

  /** From starting the instances until v1 had processed every reading. */
  public Duration v1Processed() {
    return v1Processed;
  }

  @Override
  public void close() {
    try {
      b.close();
    } finally {
      a.close();
    }
  }

  /** Serves the preloaded workload; see the class comment for the options. */
  public static void main(String[] args) throws java.io.IOException {
    Map<String, String> options =
        Options.parse(args, Set.of("--records", "--keys", "--seconds", "--bootstrap-servers"));
    Workload workload =
        Workload.of(Long.parseLong(options.getOrDefault("--records", "500000")))
            .withKeys(Integer.parseInt(options.getOrDefault("--keys", "100000")));
    Duration serve = Duration.ofSeconds(Long.parseLong(options.getOrDefault("--seconds", "600")));
    String job = "serve-" + ResultsFile.runId();
    Path stateRoot = Files.createTempDirectory("kappa-serve");
    String bootstrap = options.get("--bootstrap-servers");
    try (BrokerProcess broker = bootstrap == null ? BrokerProcess.start() : null) {
      String servers = broker == null ? bootstrap : broker.bootstrapServers();
      System.out.println("Preloading " + workload + " into " + servers + " ...");
      workload.preload(servers);
      try (TwoInstances instances = start(servers, stateRoot, job, System.out)) {
        System.out.printf(
            "Serving job '%s' at %s,%s for %d s%n",
            job, instances.a().url(), instances.b().url(), serve.toSeconds());
        Polling.sleep(serve);
      }
    } finally {
      Options.deleteRecursively(stateRoot);
    }
  }
}
