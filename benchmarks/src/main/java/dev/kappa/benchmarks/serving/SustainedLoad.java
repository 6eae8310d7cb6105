package dev.kappa.benchmarks.serving;

import dev.kappa.benchmarks.internal.JsonHttp;
import dev.kappa.benchmarks.internal.Options;
import dev.kappa.benchmarks.internal.Polling;
import dev.kappa.benchmarks.workload.Workload;
import dev.kappa.stores.RocksDbMemoryBudget;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Sustained load: key queries from many threads against two instances of the service for minutes
 * (10 by default), while the job's v2 is started, replays the log, is swapped in and v1 is retired,
 * all through the admin API. It reports the failed queries, p50 and p99 local and forwarded in each
 * phase, the process's resident memory against its budget (the heap's maximum plus RocksDB's
 * budget), and its threads and open files after the first phase and at the end, after v1 has been
 * retired: with the same one version running, a leak shows as more.
 *
 * <pre>
 * ./bench --sustained-load                              # 500,000 readings, 600 s, 12 threads
 * ./bench --sustained-load --seconds 120 --records 200000
 * </pre>
 *
 * <p>Options: {@code --records} (500,000), {@code --keys} (100,000), {@code --seconds} (600),
 * {@code --threads} (12), {@code --warm-up} seconds of the same load before it is measured (60:
 * until the query path is compiled, as in a service that has been running), {@code
 * --bootstrap-servers} (none: start a broker process), {@code --results} ({@code results}). The
 * instances and the load share this process (as in {@link SwapUnderLoad}), so that its memory,
 * threads and files are theirs.
 */
public final class SustainedLoad {

  private static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);

  private final String bootstrapServers;
  private final Workload workload;
  private final Path stateRoot;
  private final String job;
  private final Duration load;
  private final int threads;
  private final Duration warmUp;
  private final PrintStream out;
  private final JsonHttp http = new JsonHttp(TwoInstances.ADMIN_TOKEN);
  private final VersionStates versions;

  SustainedLoad(
      String bootstrapServers,
      Workload workload,
      Path stateRoot,
      String job,
      Duration load,
      int threads,
      Duration warmUp,
      PrintStream out) {
    this.bootstrapServers = bootstrapServers;
    this.workload = workload;
    this.stateRoot = stateRoot;
    this.job = job;
    this.load = load;
    this.threads = threads;
    this.warmUp = warmUp;
    this.out = out;
    this.versions = new VersionStates(http, job);
  }

  /** Runs the load and the version changes, and returns what was measured. */
  Result run() {
    try (TwoInstances instances = TwoInstances.start(bootstrapServers, stateRoot, job, out)) {
      URI a = instances.a().url();
      URI b = instances.b().url();
      QueryTarget target =
          QueryTarget.customerWindows(workload, job, instances.urls(), SwapUnderLoad.KEYS_QUERIED);
      QueryLoad queries = QueryLoad.of(target, threads);
      out.printf("Warming up for %d s%n", warmUp.toSeconds());
      queries.start(warmUp).await();
      out.printf("Querying %s from %d threads for %d s%n", target, threads, load.toSeconds());

      List<Sample> samples = new ArrayList<>();
      ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
      QueryLoad.Running running = queries.start(load);
      sampler.scheduleAtFixedRate(
          () -> {
            Sample sample = Sample.now(running.elapsed());
            synchronized (samples) {
              samples.add(sample);
            }
          },
          0,
          SAMPLE_EVERY.toMillis(),
          TimeUnit.MILLISECONDS);
      try {
        Map<String, Duration> events = new LinkedHashMap<>();
        // v1 alone first, so that the first sample of threads and files is of one version.
        Polling.sleep(load.dividedBy(10));
        Sample first = Sample.now(running.elapsed());
        events.put("v2 started", running.elapsed());
        call(http.post(a, "/admin/jobs/" + job + "/versions", "{\"version\":2}"));
        Polling.until(
            "v2 has caught up", load, out, () -> versions.status(b, 2).equals("CAUGHT_UP"));
        events.put("v2 caught up", running.elapsed());
        call(http.post(b, "/admin/jobs/" + job + "/swap", "{\"to\":2}"));
        events.put("swapped", running.elapsed());
        call(http.post(a, "/admin/jobs/" + job + "/versions/1/retire", ""));
        Polling.until(
            "v1 has stopped on both instances",
            Duration.ofMinutes(2),
            out,
            () -> !versions.runsHere(a, 1) && !versions.runsHere(b, 1));
        events.put("v1 retired", running.elapsed());
        out.printf("Version changes done at %s; the load goes on%n", events);
        Answers answers = running.await();
        Sample last = Sample.now(running.elapsed());
        synchronized (samples) {
          return new Result(answers, events, first, last, List.copyOf(samples), threads);
        }
      } finally {
        sampler.shutdownNow();
      }
    }
  }

  private static void call(JsonHttp.Reply reply) {
    if (!reply.ok()) {
      throw new IllegalStateException(
          "The sustained load could not change versions: " + reply.status() + " " + reply.body());
    }
  }

  /**
   * This process's use of resources at one moment of the load.
   *
   * @param at since the load started
   * @param threads live threads
   * @param openFiles open file descriptors
   * @param rssBytes resident memory
   * @param heapUsedBytes heap in use
   * @param rocksDbBytes RocksDB's use of the process's memory budget
   */
  record Sample(
      Duration at,
      int threads,
      long openFiles,
      long rssBytes,
      long heapUsedBytes,
      long rocksDbBytes) {

    static Sample now(Duration at) {
      return new Sample(
          at,
          ManagementFactory.getThreadMXBean().getThreadCount(),
          countOpenFiles(),
          residentBytes(),
          ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
          RocksDbMemoryBudget.processDefault().usage());
    }

    private static long countOpenFiles() {
      try (Stream<Path> files = Files.list(Path.of("/proc/self/fd"))) {
        return files.count();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot count open files in /proc/self/fd", e);
      }
    }

    private static long residentBytes() {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
          if (line.startsWith("VmRSS:")) {
            return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
          }
        }
        throw new IllegalStateException("No VmRSS in /proc/self/status");
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read /proc/self/status", e);
      }
    }
  }

  /**
   * What the load saw.
   *
   * @param answers every answer
   * @param events when each version change was made, since the load started
   * @param first the process's resources with v1 alone, before v2 started
   * @param last its resources at the end, v2 alone
   * @param samples its resources every {@link #SAMPLE_EVERY}
   * @param threads the query threads
   */
  record Result(
      Answers answers,
      Map<String, Duration> events,
      Sample first,
      Sample last,
      List<Sample> samples,
      int threads)
      implements ServingCommand.Reported {

    /**
     * The answers in each phase: v1 alone, v2 replaying, v2 caught up until v1 retired, v2 alone.
     */
    Map<String, Answers> phases() {
      List<Duration> bounds = new ArrayList<>(events.values());
      Map<String, Answers> phases = new LinkedHashMap<>();
      phases.put("v1 serving", answers.between(Duration.ZERO, bounds.get(0)));
      phases.put("v2 replaying", answers.between(bounds.get(0), bounds.get(1)));
      phases.put("swap and retire", answers.between(bounds.get(1), bounds.get(3)));
      phases.put("v2 serving", answers.between(bounds.get(3), answers.span()));
      return phases;
    }

    long peakRss() {
      return samples.stream().mapToLong(Sample::rssBytes).max().orElse(last.rssBytes());
    }

    static long budget() {
      return Runtime.getRuntime().maxMemory() + RocksDbMemoryBudget.processDefault().totalBytes();
    }

    @Override
    public String markdown() {
      StringBuilder report = new StringBuilder();
      report.append(
          "| phase | answered | queries | queries/s | p50 ms | p99 ms | max ms | failed |\n");
      report.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
      Map<String, Answers> phases = new LinkedHashMap<>(phases());
      phases.put("all", answers);
      phases.forEach(
          (phase, part) -> {
            double seconds = Math.max(1e-9, part.span().toNanos() / 1e9);
            for (boolean forwarded : new boolean[] {false, true}) {
              Latencies latencies = part.latencies(forwarded);
              report.append(
                  String.format(
                      "| %s (%.0f s) | %s | %,d | %,.0f | %.2f | %.2f | %.0f | %s |%n",
                      phase,
                      seconds,
                      forwarded ? "forwarded" : "local",
                      latencies.count(),
                      latencies.count() / seconds,
                      Latencies.millis(latencies.percentile(50)),
                      Latencies.millis(latencies.percentile(99)),
                      Latencies.millis(latencies.max()),
                      forwarded ? "" : part.failures() + " " + part.failuresByStatus()));
            }
          });
      double seconds = answers.span().toNanos() / 1e9;
      report.append(
          String.format(
              "%n%,d queries in %.0f s from %d threads: %,.0f queries/s; %d failed %s.%n",
              answers.all().size(),
              seconds,
              threads,
              answers.all().size() / seconds,
              answers.failures(),
              answers.failuresByStatus()));
      answers
          .errors()
          .forEach((error, count) -> report.append("  no answer: " + error + " x" + count + "\n"));
      report.append("Version changes, since the load started: ").append(events).append('\n');
      report.append(
          String.format(
              "Peak RSS %,d MiB against a budget of %,d MiB (heap max %,d MiB + RocksDB %,d MiB);"
                  + " RocksDB used %,d MiB at the end.%n",
              peakRss() >> 20,
              budget() >> 20,
              Runtime.getRuntime().maxMemory() >> 20,
              RocksDbMemoryBudget.processDefault().totalBytes() >> 20,
              last.rocksDbBytes() >> 20));
      report.append(
          String.format(
              "Threads %d with v1 alone at %.0f s, %d with v2 alone at the end; open files %d and"
                  + " %d.%n",
              first.threads(),
              first.at().toNanos() / 1e9,
              last.threads(),
              first.openFiles(),
              last.openFiles()));
      return report.toString();
    }

    @Override
    public Map<String, Object> summary() {
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("threads", threads);
      summary.put("all", answers.summary());
      Map<String, Object> phases = new LinkedHashMap<>();
      phases().forEach((phase, part) -> phases.put(phase, part.summary()));
      summary.put("phases", phases);
      Map<String, String> at = new LinkedHashMap<>();
      events.forEach((event, when) -> at.put(event, when.toString()));
      summary.put("events", at);
      summary.put("peakRssBytes", peakRss());
      summary.put("budgetBytes", budget());
      summary.put("first", first);
      summary.put("last", last);
      summary.put("samples", samples);
      return summary;
    }
  }

  /** Runs the sustained load; see the class comment for the options. */
  public static void main(String[] args) throws IOException {
    Map<String, String> options =
        Options.parse(
            args,
            Set.of(
                "--records",
                "--keys",
                "--seconds",
                "--threads",
                "--warm-up",
                "--bootstrap-servers",
                "--results"));
    Workload workload =
        Workload.of(Long.parseLong(options.getOrDefault("--records", "500000")))
            .withKeys(Integer.parseInt(options.getOrDefault("--keys", "100000")));
    ServingCommand.run(
        "sustained-load",
        args,
        options,
        workload,
        (servers, stateRoot, runId) ->
            new SustainedLoad(
                    servers,
                    workload,
                    stateRoot,
                    "sustained-" + runId,
                    Duration.ofSeconds(Long.parseLong(options.getOrDefault("--seconds", "600"))),
                    Integer.parseInt(options.getOrDefault("--threads", "12")),
                    Duration.ofSeconds(Long.parseLong(options.getOrDefault("--warm-up", "60"))),
                    System.out)
                .run());
  }
}
