package dev.kappa.benchmarks.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kappa.benchmarks.internal.BrokerProcess;
import dev.kappa.benchmarks.internal.GroupProgress;
import dev.kappa.benchmarks.internal.JavaProcess;
import dev.kappa.benchmarks.internal.JsonHttp;
import dev.kappa.benchmarks.internal.Options;
import dev.kappa.benchmarks.internal.Polling;
import dev.kappa.benchmarks.internal.ResultsFile;
import dev.kappa.benchmarks.internal.Topics;
import dev.kappa.embedded.EmbeddedKafka;
import dev.kappa.examples.networkusage.NetworkUsageJob;
import dev.kappa.reprocessing.JobVersion;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.jspecify.annotations.Nullable;

/**
 * The chaos harness ({@code ./chaos}): a broker, three service instances and a producer, each a
 * process of its own, and cycles of faults while the producer writes readings at a steady rate and
 * queries keep running:
 *
 * <ul>
 *   <li>{@code kill-instance}: SIGKILL of a random instance, started again after 2 to 10 s;
 *   <li>{@code kill-during-replay}: the next version is started through the admin API, and a random
 *       instance is killed while it replays;
 *   <li>{@code kill-during-swap}: once that version has caught up, the swap is called and a random
 *       instance is killed at once; then the version it replaced is retired;
 *   <li>{@code broker-restart}: SIGKILL of the broker, started again with its logs after 2 to 8 s.
 * </ul>
 *
 * <p>After each fault it waits until the system has recovered (every instance ready, the active
 * version's commits within two seconds of input of the end of its sources) and notes how long that
 * took and which queries failed meanwhile. At the end the producer stops, and {@link ChaosCheck}
 * compares every window of the active version's tables and every record of its alarms output with
 * what it computes from the source topics. It exits with status 1 if anything was lost, duplicated
 * or wrong.
 *
 * <pre>
 * ./chaos                           # 10 cycles at 400 readings/s
 * ./chaos --cycles 4 --rate 200     # one cycle of each fault
 * </pre>
 *
 * <p>Options: {@code --cycles} (10), {@code --rate} readings per second (400), {@code --seed}
 * (2026), {@code --results} ({@code results}): the report goes to {@code results/<run>-chaos.json};
 * the processes' logs to a temporary directory it names.
 */
public final class Chaos {

  private static final List<String> FAULTS =
      List.of("kill-instance", "kill-during-replay", "kill-during-swap", "broker-restart");
  private static final int INSTANCES = 3;
  private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(10);

  private final int cycles;
  private final int rate;
  private final SplittableRandom random;
  private final Path work;
  private final PrintStream out;
  private final JsonHttp http = new JsonHttp(ServiceMain.ADMIN_TOKEN);
  private final List<ServiceProcess> instances = new ArrayList<>();
  private final List<Map<String, Object>> faults = new ArrayList<>();
  private final long started = System.currentTimeMillis();
  private final int brokerPort = EmbeddedKafka.freePortNow();
  private final int controllerPort = EmbeddedKafka.freePortNow();
  private final String bootstrap = "localhost:" + brokerPort;
  private BrokerProcess broker;
  private int active = 1;
  private int pending;
  private int lastStarted = 1;

  Chaos(int cycles, int rate, long seed, Path work, PrintStream out) {
    this.cycles = cycles;
    this.rate = rate;
    this.random = new SplittableRandom(seed);
    this.work = work;
    this.out = out;
  }

  /** Runs the cycles and the check, and returns the report. */
  Map<String, Object> run() throws IOException, InterruptedException {
    Map<String, Object> report = new LinkedHashMap<>();
    broker = BrokerProcess.startIn(work.resolve("broker"), brokerPort, controllerPort);
    Process producer = null;
    QueryProbe probe = null;
    try {
      createSources();
      for (int i = 0; i < INSTANCES; i++) {
        ServiceProcess instance =
            new ServiceProcess(
                "instance-" + i,
                bootstrap,
                EmbeddedKafka.freePortNow(),
                work.resolve("state-" + i),
                ChaosJob.NAME + "-registry",
                work.resolve("instance-" + i + ".log"));
        instance.start();
        instances.add(instance);
      }
      producer =
          JavaProcess.startLogging(
              List.of("-Xmx256m"),
              ProducerMain.class,
              List.of(bootstrap, Integer.toString(rate), Long.toString(random.nextLong())),
              work.resolve("producer.log"));
      out.printf(
          "Broker at %s, instances %s, producing %d readings/s; logs in %s%n",
          bootstrap, instances.stream().map(i -> i.url().toString()).toList(), rate, work);
      Polling.until(
          "v1 is active",
          RECOVERY_TIMEOUT,
          out,
          () -> ready(instances.get(0)) && activeVersion() != null);
      awaitRecovered("the instances serve v1");
      probe = new QueryProbe(instances, 4, 200);
      for (int cycle = 1; cycle <= cycles; cycle++) {
        Polling.sleep(Duration.ofSeconds(5 + random.nextInt(10)));
        String fault = FAULTS.get((cycle - 1) % FAULTS.size());
        faults.add(fault(cycle, fault, probe));
      }
      producer.getOutputStream().close();
      if (!producer.waitFor(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("The producer did not stop within 10 minutes");
      }
      report.put("produced", producedLine(work.resolve("producer.log")));
      awaitRecovered("the active version has processed every reading");
      Polling.sleep(Duration.ofSeconds(10)); // the last partials are merged every second
      report.put("queries", probe.sent());
      report.put("failedQueries", probe.failed());
      probe.close();
      report.put("faults", faults);
      report.put("activeVersion", active);
      report.put("lateDropped", lateDropped());
      report.put("lateDroppedByStep", lateDroppedByStep(active));
      report.put("lateLog", lateLog());
      report.put("check", check());
      return report;
    } finally {
      if (probe != null) {
        probe.close();
      }
      if (producer != null) {
        producer.destroyForcibly();
      }
      instances.forEach(ServiceProcess::close);
      broker.close();
    }
  }

  private void createSources() {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      // Ready for the producers once created: every partition's leader takes writes.
      Topics.create(
          admin,
          List.of(NetworkUsageJob.USAGE_EVENTS.topic(), NetworkUsageJob.NODE_ALARMS.topic()),
          4,
          Map.of("retention.ms", "-1"));
    }
  }

  private Map<String, Object> fault(int cycle, String kind, QueryProbe probe) {
    Map<String, Object> fault = new LinkedHashMap<>();
    fault.put("cycle", cycle);
    fault.put("fault", kind);
    long at = System.currentTimeMillis();
    fault.put("at", seconds(at - started));
    ServiceProcess victim = instances.get(random.nextInt(instances.size()));
    Duration down = Duration.ofSeconds(2 + random.nextInt(9));
    switch (kind) {
      case "kill-instance" -> killAndRestart(victim, down, fault);
      case "kill-during-replay" -> {
        pending = ++lastStarted;
        JsonHttp.Reply started =
            http.post(
                instances.get(random.nextInt(INSTANCES)).url(),
                "/admin/jobs/" + ChaosJob.NAME + "/versions",
                "{\"version\":" + pending + "}");
        require(started, "start v" + pending);
        fault.put("version", pending);
        Polling.sleep(Duration.ofSeconds(1 + random.nextInt(4)));
        killAndRestart(victim, down, fault);
      }
      case "kill-during-swap" -> {
        if (pending == 0) {
          throw new IllegalStateException("No version to swap to: a replay cycle comes first");
        }
        Polling.until(
            "v" + pending + " has caught up",
            RECOVERY_TIMEOUT,
            out,
            () -> "CAUGHT_UP".equals(status(pending)));
        URI caller = instances.get(random.nextInt(INSTANCES)).url();
        JsonHttp.Reply swap =
            http.post(caller, "/admin/jobs/" + ChaosJob.NAME + "/swap", "{\"to\":" + pending + "}");
        victim.kill();
        fault.put("swapAnswer", swap.status() + (swap.ok() ? "" : " " + swap.body()));
        fault.put("version", pending);
        Polling.sleep(down);
        victim.start();
        fault.put("killed", victim.name());
        fault.put("down", down.toString());
      }
      case "broker-restart" -> {
        broker.kill();
        Polling.sleep(down);
        broker = restartBroker();
        fault.put("down", down.toString());
      }
      default -> throw new IllegalArgumentException(kind);
    }
    awaitRecovered("recovery from " + kind);
    if (kind.equals("kill-during-swap")) {
      Integer now = activeVersion();
      // A swap is refused (409) to a version that dropped records as late: the one retired then
      // is the version that was not swapped in.
      int retired = active;
      if (now != null && now == pending) {
        active = pending;
      } else {
        retired = pending;
        fault.put("swapRefused", true);
      }
      pending = 0;
      require(
          http.post(
              instances.get(0).url(),
              "/admin/jobs/" + ChaosJob.NAME + "/versions/" + retired + "/retire",
              ""),
          "retire v" + retired);
      fault.put("retired", retired);
    }
    fault.put("lateDropped", lateDropped());
    long recovered = System.currentTimeMillis();
    fault.put("recoveredAfter", seconds(recovered - at));
    fault.put("failedQueries", probe.failuresBetween(at, recovered));
    out.printf(
        "cycle %d: %s %s recovered after %.1f s; failed queries %s; late drops by version %s%s%n",
        cycle,
        kind,
        fault.getOrDefault("killed", ""),
        seconds(recovered - at),
        fault.get("failedQueries"),
        fault.get("lateDropped"),
        fault.containsKey("swapRefused") ? "; swap refused: " + fault.get("swapAnswer") : "");
    return fault;
  }

  /** The broker started again with its logs, once its ports are free again. */
  private BrokerProcess restartBroker() {
    for (int attempt = 1; ; attempt++) {
      try {
        return BrokerProcess.startIn(work.resolve("broker"), brokerPort, controllerPort);
      } catch (IllegalStateException portsNotFreeYet) {
        if (attempt == 10) {
          throw portsNotFreeYet;
        }
        Polling.sleep(Duration.ofSeconds(1));
      }
    }
  }

  private void killAndRestart(ServiceProcess victim, Duration down, Map<String, Object> fault) {
    victim.kill();
    Polling.sleep(down);
    victim.start();
    fault.put("killed", victim.name());
    fault.put("down", down.toString());
  }

  /**
   * Waits until every instance is ready and the active version's commits are within two seconds of
   * input of the end of its sources and repartition topics.
   */
  private void awaitRecovered(String what) {
    String group = JobVersion.of(ChaosJob.NAME, active).consumerGroup();
    Set<String> sources =
        Set.of(NetworkUsageJob.USAGE_EVENTS.topic(), NetworkUsageJob.NODE_ALARMS.topic());
    Polling.until(
        what,
        RECOVERY_TIMEOUT,
        out,
        () ->
            instances.stream().allMatch(this::ready)
                && GroupProgress.remaining(bootstrap, group, sources) <= 2L * rate);
  }

  private boolean ready(ServiceProcess instance) {
    try {
      return http.get(instance.url(), "/health/readiness").ok();
    } catch (UncheckedIOException notYet) {
      return false;
    }
  }

  private String status(int version) {
    for (ServiceProcess instance : instances) {
      try {
        for (JsonNode listed :
            http.get(instance.url(), "/jobs/" + ChaosJob.NAME).json().get("versions")) {
          if (listed.get("version").asInt() == version) {
            return listed.get("status").asText();
          }
        }
        return "absent";
      } catch (RuntimeException tryAnother) {
        // killed or starting: ask the next one
      }
    }
    return "unknown";
  }

  /** The records each version listed dropped as late, on every instance. */
  private Map<Integer, Long> lateDropped() {
    Map<Integer, Long> late = new TreeMap<>();
    JsonHttp.Reply reply = http.get(instances.get(0).url(), "/jobs/" + ChaosJob.NAME);
    if (reply.ok()) {
      for (JsonNode listed : reply.json().get("versions")) {
        // while it runs, the progress; once caught up, what the registry kept of it
        late.put(
            listed.get("version").asInt(),
            Math.max(
                listed.path("lateDropped").asLong(0),
                listed.path("lateDroppedWhileCatchingUp").asLong(0)));
      }
    }
    return late;
  }

  /**
   * What the instances logged of records skipped as late: how many lines each, and the first few
   * with the alignment lines that came before them on the same instance, to tell why.
   */
  private Map<String, Object> lateLog() {
    Map<String, Object> evidence = new LinkedHashMap<>();
    for (ServiceProcess instance : instances) {
      List<String> lines;
      try {
        lines = Files.readAllLines(instance.log(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        evidence.put(instance.name(), "cannot read " + instance.log() + ": " + e);
        continue;
      }
      List<String> shown = new ArrayList<>();
      List<String> alignment = new ArrayList<>();
      long skipped = 0;
      for (String line : lines) {
        if (line.contains("Skipping record")) {
          if (skipped++ == 0) {
            shown.addAll(alignment.subList(Math.max(0, alignment.size() - 5), alignment.size()));
          }
          if (skipped <= 5) {
            shown.add(line);
          }
        } else if (line.contains("EventTimeGate") || line.contains("SERVING")) {
          alignment.add(line);
        }
      }
      if (skipped > 0) {
        evidence.put(instance.name(), Map.of("skippedLines", skipped, "first", shown));
      }
    }
    return evidence;
  }

  /** The records {@code version} dropped as late, by the step that dropped them. */
  private @Nullable JsonNode lateDroppedByStep(int version) {
    JsonHttp.Reply progress =
        http.get(
            instances.get(0).url(),
            "/admin/jobs/" + ChaosJob.NAME + "/versions/" + version + "/progress");
    return progress.ok() ? progress.json().get("lateDroppedByStep") : null;
  }

  private @Nullable Integer activeVersion() {
    JsonHttp.Reply reply = http.get(instances.get(0).url(), "/jobs/" + ChaosJob.NAME);
    if (!reply.ok()) {
      return null;
    }
    JsonNode active = reply.json().get("active");
    return active == null || active.isNull() ? null : active.asInt();
  }

  private Map<String, Object> check() {
    ChaosCheck.Sources sources = ChaosCheck.sources(bootstrap);
    out.printf(
        "Checking v%d against %,d readings and %,d alarms in the source topics%n",
        active, sources.readings().size(), sources.alarms().size());
    Map<String, ChaosCheck.Tally> tallies = null;
    // The tables settle within seconds of the last commit; ask again for a minute before a
    // difference counts.
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (true) {
      tallies = ChaosCheck.check(bootstrap, instances.get(0).url(), http, active, sources);
      if (tallies.values().stream().allMatch(ChaosCheck.Tally::exact)
          || System.nanoTime() > deadline) {
        break;
      }
      Polling.sleep(Duration.ofSeconds(5));
    }
    Map<String, Object> check = new LinkedHashMap<>();
    check.put("readings", sources.readings().size());
    check.put("alarms", sources.alarms().size());
    check.put("unreadable", sources.unreadable());
    check.put("tables", tallies);
    return check;
  }

  private static void require(JsonHttp.Reply reply, String what) {
    if (!reply.ok()) {
      throw new IllegalStateException(
          "Cannot " + what + ": " + reply.status() + " " + reply.body());
    }
  }

  private static String producedLine(Path log) throws IOException {
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(Files.newInputStream(log), StandardCharsets.UTF_8))) {
      return lines
          .lines()
          .filter(line -> line.startsWith("PRODUCED "))
          .reduce((a, b) -> b)
          .orElse("the producer printed no count");
    }
  }

  private static double seconds(long millis) {
    return millis / 1000.0;
  }

  /** Whether the check of {@code report} found anything lost, duplicated or wrong. */
  @SuppressWarnings("unchecked")
  static boolean exact(Map<String, Object> report) {
    Map<String, ChaosCheck.Tally> tallies =
        (Map<String, ChaosCheck.Tally>) ((Map<String, Object>) report.get("check")).get("tables");
    return tallies.values().stream().allMatch(ChaosCheck.Tally::exact);
  }

  /** Runs the harness; see the class comment for the options. */
  public static void main(String[] args) throws Exception {
    Map<String, String> options =
        Options.parse(args, Set.of("--cycles", "--rate", "--seed", "--results"));
    String runId = ResultsFile.runId();
    Path work = Files.createTempDirectory("kappa-chaos-" + runId + "-");
    Chaos chaos =
        new Chaos(
            Integer.parseInt(options.getOrDefault("--cycles", "10")),
            Integer.parseInt(options.getOrDefault("--rate", "400")),
            Long.parseLong(options.getOrDefault("--seed", "2026")),
            work,
            System.out);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("run", runId);
    report.put("command", "./chaos " + String.join(" ", args));
    report.put("started", Instant.now().toString());
    report.putAll(chaos.run());
    report.put("finished", Instant.now().toString());
    Path json =
        ResultsFile.write(
            Path.of(options.getOrDefault("--results", "results")), runId, "chaos", report);
    System.out.println(ResultsFile.json(report.get("check")));
    System.out.println("Every figure: " + json + "; logs: " + work);
    System.exit(exact(report) ? 0 : 1);
  }
}
