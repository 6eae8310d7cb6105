package dev.kappa.benchmarks.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kappa.benchmarks.internal.InProcessService;
import dev.kappa.benchmarks.internal.JsonHttp;
import dev.kappa.benchmarks.internal.Options;
import dev.kappa.benchmarks.internal.Polling;
import dev.kappa.benchmarks.workload.Workload;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Scenario 8: a swap under query load. Two instances of the service run in this process against one
 * broker, hosting two versions of the windowed aggregation (v2 counts only readings of at least 100
 * bytes, so its answers differ); v1 serves the preloaded readings. v2 is started through the admin
 * API of one instance and replays; once it has caught up and runs on both instances, key queries
 * (the windows of a customer) go to both instances from several threads, and halfway through the
 * job is swapped to v2 through {@code POST /admin/jobs/{job}/swap}.
 *
 * <pre>
 * ./bench --swap-under-load                                # 500,000 readings, 60 s of queries
 * ./bench --swap-under-load --records 200000 --seconds 20  # a quick look
 * </pre>
 *
 * <p>Options: {@code --records} (500,000), {@code --keys} (100,000), {@code --partitions} (4),
 * {@code --seconds} of queries (60), {@code --threads} (4), {@code --bootstrap-servers} (none:
 * start a broker process), {@code --results} ({@code results}).
 *
 * <p>Reports latency (p50, p99, max) answered locally and forwarded before the swap, while it
 * spreads (from the swap call until every instance answers from v2) and after; the failed queries
 * (any status but 2xx, expected none); how many answers each version gave; and the time from the
 * swap call until every instance answers from v2 only. Writes them to {@code
 * results/<run>-swap-under-load.json}.
 */
public final class SwapUnderLoad {

  private static final Duration WARM_UP = Duration.ofSeconds(5);
  private static final Duration REPORT_EVERY = Duration.ofSeconds(5);
  static final int KEYS_QUERIED = 10_000;

  private final String bootstrapServers;
  private final Path stateRoot;
  private final String job;
  private final Duration load;
  private final int threads;
  private final Workload workload;
  private final PrintStream out;
  private final JsonHttp http = new JsonHttp(TwoInstances.ADMIN_TOKEN);
  private final VersionStates versions;

  /**
   * A run against {@code workload}, preloaded at {@code bootstrapServers}, with the job called
   * {@code job}, state under {@code stateRoot}, {@code load} of queries from {@code threads}
   * threads, printing its progress to {@code out}.
   */
  public SwapUnderLoad(
      String bootstrapServers,
      Workload workload,
      Path stateRoot,
      String job,
      Duration load,
      int threads,
      PrintStream out) {
    this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    this.workload = Objects.requireNonNull(workload, "workload");
    this.stateRoot = Objects.requireNonNull(stateRoot, "stateRoot");
    this.job = Objects.requireNonNull(job, "job");
    this.load = Objects.requireNonNull(load, "load");
    this.threads = threads;
    this.out = Objects.requireNonNull(out, "out");
    this.versions = new VersionStates(http, job);
  }

  /** Runs the scenario and returns what the callers saw. */
  public Result run() {
    try (TwoInstances instances = TwoInstances.start(bootstrapServers, stateRoot, job, out)) {
      InProcessService a = instances.a();
      InProcessService b = instances.b();
      List<URI> urls = instances.urls();
      Duration v1Processed = instances.v1Processed();
      out.printf(
          "v1 processed %,d readings in %.1f s%n", workload.readings(), seconds(v1Processed));

      QueryTarget target = QueryTarget.customerWindows(workload, job, urls, KEYS_QUERIED);
      long started = System.nanoTime();
      JsonNode plan =
          http.post(a.url(), "/admin/jobs/" + job + "/versions", "{\"version\":2}").json();
      out.printf(
          "Started v2 through %s: %,d records to replay%n", a.name(), plan.get("records").asLong());
      long[] lastReport = {0};
      Polling.until(
          "v2 of job '" + job + "' has caught up",
          Duration.ofSeconds(300 + workload.readings() / 2_000),
          out,
          () -> {
            // through the instance that does not replay it, so that the progress is forwarded
            JsonHttp.Reply progress =
                http.get(b.url(), "/admin/jobs/" + job + "/versions/2/progress");
            if (progress.ok() && System.nanoTime() - lastReport[0] > REPORT_EVERY.toNanos()) {
              lastReport[0] = System.nanoTime();
              JsonNode replayed = progress.json();
              out.printf(
                  "  v2 replayed %,d of %,d (%.0f records/s)%n",
                  replayed.get("replayed").asLong(),
                  replayed.get("target").asLong(),
                  replayed.get("recordsPerSecond").asDouble());
            }
            return versions.status(a.url(), 2).equals("CAUGHT_UP");
          });
      Duration caughtUp = since(started);
      out.printf("v2 caught up in %.1f s%n", seconds(caughtUp));
      Polling.until(
          "v2 runs on both instances and answers",
          Duration.ofSeconds(300),
          out,
          () ->
              versions.runsHere(a.url(), 2) && versions.runsHere(b.url(), 2) && answers(target, 2));
      Duration runningEverywhere = since(started);
      out.printf(
          "v2 runs and answers on both instances %.1f s after it started%n",
          seconds(runningEverywhere));

      out.println("Querying " + target);
      QueryLoad queries = QueryLoad.of(target, threads);
      queries.start(WARM_UP).await();

      out.printf(
          "Measuring %d s of queries from %d threads; the swap comes halfway%n",
          load.toSeconds(), threads);
      QueryLoad.Running measured = queries.start(load);
      Polling.sleep(load.dividedBy(2));
      Duration swapCalled = measured.elapsed();
      JsonHttp.Reply swap = http.post(a.url(), "/admin/jobs/" + job + "/swap", "{\"to\":2}");
      Duration swapAnswered = measured.elapsed();
      Answers answers = measured.await();
      if (!swap.ok()) {
        throw new IllegalStateException(
            "Scenario 8 could not swap job '"
                + job
                + "' to v2: "
                + swap.status()
                + " "
                + swap.body());
      }
      return new Result(
          answers,
          v1Processed,
          caughtUp,
          runningEverywhere,
          swapCalled,
          swapAnswered.minus(swapCalled));
    }
  }

  /** Whether every instance answers the first keys from {@code version}. */
  private boolean answers(QueryTarget target, int version) {
    return target.urls().stream()
        .allMatch(
            url ->
                target.keys().stream()
                    .limit(20)
                    .allMatch(key -> http.get(url, target.path(key) + "&version=" + version).ok()));
  }

  private static Duration since(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos);
  }

  private static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }

  /**
   * What the callers saw.
   *
   * @param answers every answer of the measured load
   * @param v1Processed from starting the instances until v1 had processed every reading
   * @param caughtUp from starting v2 until it was marked caught up
   * @param runningEverywhere from starting v2 until it ran and answered on both instances
   * @param swapCalled when the swap was called, since the load started
   * @param swapCall how long the swap call took to answer
   */
  public record Result(
      Answers answers,
      Duration v1Processed,
      Duration caughtUp,
      Duration runningEverywhere,
      Duration swapCalled,
      Duration swapCall)
      implements ServingCommand.Reported {

    /**
     * When every instance answered from v2 only, since the swap was called; empty if one did not
     * within the load.
     */
    public Optional<Duration> swapVisible() {
      return answers
          .allAnsweringFrom(2)
          .map(at -> at.minus(swapCalled).isNegative() ? Duration.ZERO : at.minus(swapCalled));
    }

    /**
     * The answers before the swap call, while it spread, and after every instance answered from v2.
     */
    public Map<String, Answers> phases() {
      Duration visible = swapCalled.plus(swapVisible().orElse(answers.span().minus(swapCalled)));
      Map<String, Answers> phases = new LinkedHashMap<>();
      phases.put("before", answers.between(Duration.ZERO, swapCalled));
      phases.put("during", answers.between(swapCalled, visible));
      phases.put("after", answers.between(visible, answers.span()));
      return phases;
    }

    /** The report: a table by phase, then the counts. */
    @Override
    public String markdown() {
      StringBuilder report = new StringBuilder();
      report.append(
          "| phase | answered | queries | queries/s | p50 ms | p99 ms | max ms | v1 / v2 answers | failed |\n");
      report.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |\n");
      phases()
          .forEach(
              (phase, part) -> {
                for (boolean forwarded : new boolean[] {false, true}) {
                  Latencies latencies = part.latencies(forwarded);
                  Map<Integer, Long> versions = part.byVersion();
                  report.append(
                      String.format(
                          "| %s (%.2f s) | %s | %,d | %,.0f | %.2f | %.2f | %.1f | %s | %s |%n",
                          phase,
                          seconds(part.span()),
                          forwarded ? "forwarded" : "local",
                          latencies.count(),
                          latencies.count() / Math.max(1e-9, seconds(part.span())),
                          Latencies.millis(latencies.percentile(50)),
                          Latencies.millis(latencies.percentile(99)),
                          Latencies.millis(latencies.max()),
                          forwarded
                              ? ""
                              : String.format(
                                  "%,d / %,d",
                                  versions.getOrDefault(1, 0L), versions.getOrDefault(2, 0L)),
                          forwarded ? "" : part.failures() + " " + part.failuresByStatus()));
                }
              });
      report.append(
          String.format(
              "%nv1 processed the readings in %.1f s; v2 caught up in %.1f s and ran on both"
                  + " instances after %.1f s.%n",
              seconds(v1Processed), seconds(caughtUp), seconds(runningEverywhere)));
      report.append(
          String.format(
              "Swap called at %.1f s of %.1f s; the call took %.0f ms; every instance answered from"
                  + " v2 only %s after the call.%n",
              seconds(swapCalled),
              seconds(answers.span()),
              Latencies.millis(swapCall),
              swapVisible()
                  .map(visible -> String.format("%.0f ms", Latencies.millis(visible)))
                  .orElse("not within the run")));
      report.append(
          String.format(
              "Answers by version %s; failed queries %d %s.%n",
              answers.byVersion(), answers.failures(), answers.failuresByStatus()));
      answers
          .errors()
          .forEach(
              (error, count) ->
                  report
                      .append("  no answer: ")
                      .append(error)
                      .append(" x")
                      .append(count)
                      .append('\n'));
      return report.toString();
    }

    /** The figures of the report, for a results file. */
    @Override
    public Map<String, Object> summary() {
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("v1Processed", v1Processed.toString());
      summary.put("caughtUp", caughtUp.toString());
      summary.put("runningEverywhere", runningEverywhere.toString());
      summary.put("swapCalled", swapCalled.toString());
      summary.put("swapCall", swapCall.toString());
      summary.put("swapVisible", swapVisible().map(Duration::toString).orElse(null));
      summary.put("all", answers.summary());
      Map<String, Object> phases = new LinkedHashMap<>();
      phases().forEach((phase, part) -> phases.put(phase, part.summary()));
      summary.put("phases", phases);
      return summary;
    }
  }

  /** Runs scenario 8; see the class comment for the options. */
  public static void main(String[] args) throws IOException {
    Map<String, String> options =
        Options.parse(
            args,
            Set.of(
                "--records",
                "--keys",
                "--partitions",
                "--seconds",
                "--threads",
                "--bootstrap-servers",
                "--results"));
    long records = Long.parseLong(options.getOrDefault("--records", "500000"));
    Workload workload =
        Workload.of(records)
            .withKeys(Integer.parseInt(options.getOrDefault("--keys", "100000")))
            .withPartitions(Integer.parseInt(options.getOrDefault("--partitions", "4")));
    ServingCommand.run(
        "swap-under-load",
        args,
        options,
        workload,
        (servers, stateRoot, runId) ->
            new SwapUnderLoad(
                    servers,
                    workload,
                    stateRoot,
                    "swap-" + runId,
                    Duration.ofSeconds(Long.parseLong(options.getOrDefault("--seconds", "60"))),
                    Integer.parseInt(options.getOrDefault("--threads", "4")),
                    System.out)
                .run());
  }
}
