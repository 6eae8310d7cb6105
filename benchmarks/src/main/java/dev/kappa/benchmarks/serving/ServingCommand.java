package dev.kappa.benchmarks.serving;

import dev.kappa.benchmarks.internal.BrokerProcess;
import dev.kappa.benchmarks.internal.Options;
import dev.kappa.benchmarks.internal.ResultsFile;
import dev.kappa.benchmarks.workload.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the serving commands share: a broker (the one {@code --bootstrap-servers} names, else a
 * process of its own) preloaded with the workload, a state directory that is deleted afterwards,
 * and a report printed and written to {@code <--results>/<run>-<name>.json}.
 */
final class ServingCommand {

  /** A measured run, given the broker's address, the state directory and the run's id. */
  @FunctionalInterface
  interface Measured {
    Reported run(String servers, Path stateRoot, String runId);
  }

  /** What a run measured, as figures for the file and as markdown for the console. */
  interface Reported {
    Map<String, Object> summary();

    String markdown();
  }

  private ServingCommand() {}

  static void run(
      String name, String[] args, Map<String, String> options, Workload workload, Measured run)
      throws IOException {
    String runId = ResultsFile.runId();
    Path results = Path.of(options.getOrDefault("--results", "results"));
    Path stateRoot = Files.createTempDirectory("kappa-" + name);
    String bootstrap = options.get("--bootstrap-servers");
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("run", runId);
    report.put("command", "./bench --" + name + " " + String.join(" ", args));
    report.put("started", Instant.now().toString());
    report.put("workload", workload.toString());
    try (BrokerProcess broker = bootstrap == null ? BrokerProcess.start() : null) {
      String servers = broker == null ? bootstrap : broker.bootstrapServers();
      report.put("broker", broker == null ? servers : "a local broker process at " + servers);
      System.out.println("Preloading " + workload + " into " + servers + " ...");
      report.put("preloaded", workload.preload(servers));
      Reported result = run.run(servers, stateRoot, runId);
      report.put("finished", Instant.now().toString());
      report.put("result", result.summary());
      System.out.println();
      System.out.print(result.markdown());
    } finally {
      Options.deleteRecursively(stateRoot);
    }
    System.out.println("Every figure: " + ResultsFile.write(results, runId, name, report));
  }
}
