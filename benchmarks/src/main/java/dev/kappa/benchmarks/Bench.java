package dev.kappa.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import dev.kappa.benchmarks.internal.BrokerProcess;
import dev.kappa.benchmarks.internal.Options;
import dev.kappa.benchmarks.internal.Report;
import dev.kappa.benchmarks.internal.ResultsFile;
import dev.kappa.benchmarks.internal.RunProcess;
import dev.kappa.benchmarks.scenarios.Scenarios;
import dev.kappa.benchmarks.serving.QueryLoad;
import dev.kappa.benchmarks.serving.SustainedLoad;
import dev.kappa.benchmarks.serving.SwapUnderLoad;
import dev.kappa.benchmarks.serving.TwoInstances;
import dev.kappa.benchmarks.workload.Workload;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The benchmark command ({@code ./bench}): preloads the workload, then runs every scenario several
 * times, each run in a JVM of its own, in an order that rotates with each repetition so that noise
 * on a shared machine falls on every scenario alike; prints a markdown table of ratios and writes
 * every measurement to {@code results/<run>.json}.
 *
 * <pre>
 * ./bench --records 5000000                 # the full run on a broker in a process of its own
 * ./bench --records 200000 --repetitions 1  # a quick look
 * ./bench --bootstrap-servers broker:9092   # on an existing cluster
 * ./bench --query-latency http://localhost:8080,http://localhost:8081 --seconds 30
 * ./bench --swap-under-load                 # scenario 8: a swap under query load
 * ./bench --serve --seconds 600             # two service instances to point --query-latency at
 * </pre>
 *
 * <p>Options: {@code --records} (readings in the workload, 1,000,000 by default), {@code
 * --repetitions} (3), {@code --scenarios} (ids, comma-separated; all by default), {@code --keys}
 * (100,000), {@code --partitions} (4), {@code --bootstrap-servers} (none: start a broker), {@code
 * --profile} (a scenario id: record its runs with JFR into the results directory), {@code
 * --results} (the results directory, {@code results}).
 */
public final class Bench {

  /** Every scenario commits this often: Kafka Streams' default under exactly-once. */
  static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);

  private static final List<String> RUN_JVM = List.of("-Xmx2g");

  private Bench() {}

  /**
   * Runs the benchmark; see the class comment for the options. {@code --query-latency <urls>
   * [options]} runs {@link QueryLoad} against running instances instead, and {@code
   * --swap-under-load [options]} runs scenario 8, {@link SwapUnderLoad}; {@code --sustained-load
   * [options]} runs {@link SustainedLoad}; {@code --serve [options]} serves the workload from two
   * service instances for them, {@link TwoInstances}.
   */
  public static void main(String[] args) throws IOException {
    if (args.length > 0 && args[0].equals("--query-latency")) {
      List<String> rest = new ArrayList<>(Arrays.asList(args));
      rest.set(0, "--url");
      QueryLoad.main(rest.toArray(String[]::new));
      return;
    }
    if (args.length > 0 && args[0].equals("--swap-under-load")) {
      SwapUnderLoad.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("--sustained-load")) {
      SustainedLoad.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("--serve")) {
      TwoInstances.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    Map<String, String> options = parse(args);
    long records = Long.parseLong(options.getOrDefault("--records", "1000000"));
    int repetitions = Integer.parseInt(options.getOrDefault("--repetitions", "3"));
    Workload workload =
        Workload.of(records)
            .withKeys(Integer.parseInt(options.getOrDefault("--keys", "100000")))
            .withPartitions(Integer.parseInt(options.getOrDefault("--partitions", "4")));
    List<Scenario> scenarios = scenarios(options.get("--scenarios"));
    String runId = ResultsFile.runId();
    Path results = Path.of(options.getOrDefault("--results", "results")).toAbsolutePath();
    Path json = results.resolve(runId + ".json");
    Files.createDirectories(results);

    Map<String, Object> header = new LinkedHashMap<>();
    header.put("run", runId);
    header.put("command", "./bench " + String.join(" ", args));
    header.put("started", Instant.now().toString());
    header.put("machine", machine());
    header.put("workload", workload.toString());
    header.put("commitInterval", COMMIT_INTERVAL.toString());
    header.put("repetitions", repetitions);
    System.out.println("Kappa benchmarks " + runId + ": " + header.get("machine"));

    List<Measurement> measurements = new ArrayList<>();
    String bootstrap = options.get("--bootstrap-servers");
    try (BrokerProcess broker = bootstrap == null ? BrokerProcess.start() : null) {
      String servers = broker == null ? bootstrap : broker.bootstrapServers();
      ProcessHandle brokerProcess = broker == null ? null : broker.handle();
      header.put("broker", broker == null ? servers : "a local broker process at " + servers);
      System.out.println("Preloading " + workload + " into " + servers + " ...");
      long started = System.nanoTime();
      Map<String, Long> preloaded = workload.preload(servers);
      double seconds = (System.nanoTime() - started) / 1e9;
      header.put("preloaded", preloaded);
      System.out.printf("Preloaded %s in %.1f s%n", preloaded, seconds);

      for (int repetition = 1; repetition <= repetitions; repetition++) {
        for (Scenario scenario : rotated(scenarios, repetition - 1)) {
          String group = "bench-" + runId + "-" + repetition + "-" + scenario.id();
          List<String> jvm = new ArrayList<>(RUN_JVM);
          if (scenario.id().equals(options.get("--profile"))) {
            jvm.add(
                "-XX:StartFlightRecording=settings=profile,filename="
                    + results.resolve(group + ".jfr"));
          }
          Measurement measurement =
              RunProcess.measure(
                  jvm, servers, brokerProcess, scenario, repetition, group, COMMIT_INTERVAL, false);
          measurements.add(measurement);
          System.out.printf(
              "%d/%d %-28s %,10.0f records/s  %6.1f s  CPU %5.1f s (broker %s)  peak RSS %d MiB%n",
              repetition,
              repetitions,
              scenario.id(),
              measurement.recordsPerSecond(),
              Measurement.seconds(measurement.elapsed()),
              Measurement.seconds(measurement.cpu()),
              measurement.brokerCpu() == null
                  ? "n/a"
                  : String.format("%.1f s", Measurement.seconds(measurement.brokerCpu())),
              measurement.peakRssMebibytes());
        }
        // after every repetition, so that a run cut short still leaves its results
        header.put("finished", Instant.now().toString());
        new Report(header, scenarios, measurements).writeJson(json);
      }
    }
    System.out.println();
    System.out.println(new Report(header, scenarios, measurements).markdown());
    System.out.println("Every measurement: " + json);
  }

  /** Each repetition starts one scenario later, so that none always runs first or last. */
  static List<Scenario> rotated(List<Scenario> scenarios, int by) {
    List<Scenario> order = new ArrayList<>(scenarios);
    Collections.rotate(order, -(by % Math.max(1, order.size())));
    return order;
  }

  private static List<Scenario> scenarios(@Nullable String ids) {
    if (ids == null) {
      return Scenarios.all();
    }
    Set<String> wanted = Set.copyOf(Arrays.asList(ids.split(",")));
    // byId refuses an unknown id, naming the known ones
    wanted.forEach(Scenarios::byId);
    return Scenarios.all().stream().filter(scenario -> wanted.contains(scenario.id())).toList();
  }

  private static String machine() {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return Runtime.getRuntime().availableProcessors()
        + " cores, "
        + os.getTotalMemorySize() / (1024 * 1024 * 1024)
        + " GiB, "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.version")
        + ", Java "
        + System.getProperty("java.runtime.version")
        + " ("
        + System.getProperty("java.vm.name")
        + ")";
  }

  private static Map<String, String> parse(String[] args) {
    Set<String> known =
        Set.of(
            "--records",
            "--repetitions",
            "--scenarios",
            "--keys",
            "--partitions",
            "--bootstrap-servers",
            "--profile",
            "--results");
    return Options.parse(args, known);
  }
}
