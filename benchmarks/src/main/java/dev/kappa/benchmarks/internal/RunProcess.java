package dev.kappa.benchmarks.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kappa.benchmarks.Measurement;
import dev.kappa.benchmarks.Scenario;
import dev.kappa.benchmarks.scenarios.Scenarios;
import dev.kappa.serde.JsonSerde;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One measured run in a JVM of its own, so that each run starts from the same JIT and heap, and its
 * CPU time and peak memory are its own. The harness starts it with {@link #measure}; it prints its
 * {@link Measurement} as one JSON line and exits.
 */
public final class RunProcess {

  private static final Logger log = LoggerFactory.getLogger(RunProcess.class);
  private static final ObjectMapper JSON = JsonSerde.defaultMapper();
  private static final String RESULT = "RESULT ";

  private RunProcess() {}

  /**
   * Runs {@code scenario} as group {@code group} in a new JVM started with {@code jvmArgs} (and the
   * scenario's {@linkplain Scenario#classPath() class path}), and returns what it measured. The run
   * deletes its topics when it ends, unless {@code keepOutputs} (for a test that reads them).
   *
   * @param broker the broker's process when it is local, for its CPU time
   * @throws IllegalStateException if the run fails
   */
  public static Measurement measure(
      List<String> jvmArgs,
      String bootstrapServers,
      @Nullable ProcessHandle broker,
      Scenario scenario,
      int repetition,
      String group,
      Duration commitInterval,
      boolean keepOutputs) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--bootstrap-servers", bootstrapServers,
                "--scenario", scenario.id(),
                "--repetition", String.valueOf(repetition),
                "--group", group,
                "--commit-interval", commitInterval.toString(),
                "--keep-outputs", String.valueOf(keepOutputs)));
    if (broker != null) {
      args.add("--broker-pid");
      args.add(String.valueOf(broker.pid()));
    }
    Process process =
        JavaProcess.start(
            jvmArgs,
            scenario.classPath().orElse(System.getProperty("java.class.path")),
            RunProcess.class,
            args);
    Measurement measurement = null;
    try (BufferedReader output =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = output.readLine(); line != null; line = output.readLine()) {
        if (line.startsWith(RESULT)) {
          measurement = JSON.readValue(line.substring(RESULT.length()), Measurement.class);
        }
      }
      int exit = process.waitFor();
      if (exit != 0 || measurement == null) {
        throw new IllegalStateException(
            "The run of scenario '"
                + scenario.id()
                + "' failed (exit "
                + exit
                + "); see its log above");
      }
      return measurement;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read the result of scenario '" + scenario.id() + "'", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException(
          "Interrupted while running scenario '" + scenario.id() + "'", e);
    }
  }

  /**
   * Runs one scenario: {@code --bootstrap-servers --scenario --repetition --group --commit-interval
   * [--broker-pid] [--keep-outputs]}.
   */
  public static void main(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i], args[i + 1]);
    }
    int exit = 1;
    Path state = null;
    ScenarioRunner runner = null;
    Scenario scenario = null;
    String group = options.get("--group");
    try {
      state = Files.createTempDirectory("kappa-bench-state-");
      Optional<ProcessHandle> broker =
          Optional.ofNullable(options.get("--broker-pid"))
              .flatMap(pid -> ProcessHandle.of(Long.parseLong(pid)));
      runner =
          new ScenarioRunner(
              options.get("--bootstrap-servers"),
              Duration.parse(options.get("--commit-interval")),
              broker);
      scenario = Scenarios.byId(options.get("--scenario"));
      Measurement measurement =
          runner
              .measure(scenario, Integer.parseInt(options.get("--repetition")), group, state)
              .measurement();
      System.out.println(RESULT + JSON.writeValueAsString(measurement));
      System.out.flush();
      exit = 0;
    } catch (IOException | RuntimeException e) {
      log.error("Run {} failed", group, e);
    } finally {
      if (runner != null && scenario != null && !"true".equals(options.get("--keep-outputs"))) {
        runner.cleanUp(scenario, group);
      }
      if (state != null) {
        ScenarioRunner.deleteState(state);
      }
    }
    // Exit even if a client left a non-daemon thread behind: the run is over.
    System.exit(exit);
  }
}
