package dev.kappa.benchmarks.internal;

import dev.kappa.benchmarks.Measurement;
import dev.kappa.benchmarks.RunContext;
import dev.kappa.benchmarks.Scenario;
import dev.kappa.benchmarks.ScenarioRun;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one scenario over the preloaded workload and measures it: from the first record its consumer
 * reads to the first check that finds the group's commits covering every input (see {@link
 * CommitProgress}), or for a {@linkplain ScenarioRun#bounded() bounded} run to the check that finds
 * it finished, the wall time, the CPU time of this process and of the broker, and the peak memory
 * of this process. Checks run every 100 ms, so the end is late by that much at most.
 *
 * <pre>{@code
 * ScenarioRunner runner = new ScenarioRunner("localhost:9092", Duration.ofMillis(100), Optional.empty());
 * ScenarioRunner.Run run = runner.measure(new RawCopy(), 1, "bench-1-raw-copy", stateDirectory);
 * }</pre>
 */
public final class ScenarioRunner {

  private static final Logger log = LoggerFactory.getLogger(ScenarioRunner.class);
  // Often enough for runs of tens of seconds; checking every 25 ms took 8 % of the CPU samples of a
  // run's process.
  private static final long CHECK_MILLIS = 100;
  private static final Duration STALL_TIMEOUT = Duration.ofMinutes(3);

  private final String bootstrapServers;
  private final Duration commitInterval;
  private final Optional<ProcessHandle> broker;

  /**
   * A runner against the cluster at {@code bootstrapServers}, whose scenarios commit every {@code
   * commitInterval}; {@code broker} is the broker's process when it is local, for its CPU time.
   */
  public ScenarioRunner(
      String bootstrapServers, Duration commitInterval, Optional<ProcessHandle> broker) {
    this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    this.commitInterval = Objects.requireNonNull(commitInterval, "commitInterval");
    this.broker = Objects.requireNonNull(broker, "broker");
  }

  /**
   * A measured run: what was measured and the context it ran in (whose {@link
   * RunContext#outputTopic(String)} names its outputs).
   */
  public record Run(Measurement measurement, RunContext context) {}

  /**
   * Runs {@code scenario} as consumer group {@code group} with its state under {@code
   * stateDirectory}, and measures it. The run's topics stay; {@link #cleanUp(Scenario, String)}
   * deletes them.
   *
   * @throws IllegalStateException if the run stops by itself, or commits nothing new for 3 minutes
   */
  public Run measure(Scenario scenario, int repetition, String group, Path stateDirectory) {
    try (Admin admin = admin()) {
      Map<TopicPartition, Long> inputEnds = inputEnds(admin, scenario.inputs());
      int partitions =
          (int) inputEnds.keySet().stream().mapToInt(TopicPartition::partition).max().orElse(0) + 1;
      CommitProgress progress =
          new CommitProgress(admin, scenario.consumerGroup(group), inputEnds, scenario.guarantee());
      FirstRead firstRead = new FirstRead(broker);
      RunContext context =
          new RunContext(
              bootstrapServers,
              group,
              partitions,
              commitInterval,
              stateDirectory,
              firstRead.consumerSettings());
      PeakMemory.reset();
      ResourceUse end;
      try (ScenarioRun run = scenario.start(context)) {
        end = awaitDone(scenario, run, progress);
      }
      ResourceUse start =
          firstRead
              .moment()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "Scenario '"
                              + scenario.id()
                              + "' committed its input without reading it: is its consumer"
                              + " configured with RunContext's consumer settings?"));
      Duration elapsed = end.since(start);
      Measurement measurement =
          new Measurement(
              scenario.id(),
              repetition,
              progress.inputRecords(),
              elapsed,
              progress.inputRecords() / Measurement.seconds(elapsed),
              end.cpuSince(start),
              end.brokerCpuSince(start),
              PeakMemory.residentMebibytes(),
              PeakMemory.heapMebibytes());
      log.info("{}", measurement);
      return new Run(measurement, context);
    }
  }

  /** Deletes the topics of the run called {@code group} of {@code scenario}, and its groups. */
  public void cleanUp(Scenario scenario, String group) {
    try (Admin admin = admin()) {
      Topics.deleteWithPrefix(admin, group);
      Set<String> groups = new TreeSet<>(List.of(group, scenario.consumerGroup(group)));
      try {
        Topics.await(admin.deleteConsumerGroups(groups).all(), "delete groups " + groups);
      } catch (IllegalStateException e) {
        // A group that never committed does not exist; one left behind holds no data.
        log.debug("{}", e.getMessage());
      }
    }
  }

  /** Deletes a run's state directory. */
  public static void deleteState(Path stateDirectory) {
    try {
      Utils.delete(stateDirectory.toFile());
    } catch (IOException e) {
      log.warn("Cannot delete the state directory {}: {}", stateDirectory, e.toString());
    }
  }

  private ResourceUse awaitDone(Scenario scenario, ScenarioRun run, CommitProgress progress) {
    long lastRemaining = Long.MAX_VALUE;
    long lastProgress = System.nanoTime();
    while (true) {
      ResourceUse now = ResourceUse.now(broker);
      long remaining = progress.remaining();
      if (run.bounded() ? run.finished() : remaining == 0) {
        return now;
      }
      run.checkAlive();
      if (remaining < lastRemaining) {
        lastRemaining = remaining;
        lastProgress = now.nanoTime();
      } else if (now.nanoTime() - lastProgress > STALL_TIMEOUT.toNanos()) {
        throw new IllegalStateException(
            "Scenario '"
                + scenario.id()
                + "' made no progress for "
                + STALL_TIMEOUT
                + ": "
                + remaining
                + " records are not covered by a commit of its group");
      }
      try {
        Thread.sleep(CHECK_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(
            "Interrupted while waiting for scenario '" + scenario.id() + "'", e);
      }
    }
  }

  private static Map<TopicPartition, Long> inputEnds(Admin admin, Set<String> inputs) {
    return CommitProgress.endOffsets(admin, Topics.partitions(admin, inputs));
  }

  private Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }
}
