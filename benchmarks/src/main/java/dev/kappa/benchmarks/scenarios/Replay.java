package dev.kappa.benchmarks.scenarios;

import dev.kappa.benchmarks.RunContext;
import dev.kappa.benchmarks.ScenarioRun;
import dev.kappa.benchmarks.workload.Workload;
import dev.kappa.reprocessing.JobHost;
import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.StartOptions;
import dev.kappa.topology.runtime.ProcessingGuarantee;
import dev.kappa.topology.runtime.RunningJob;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario 7: a new version of the windowed aggregation catches up on the retained readings, as a
 * {@link JobHost} runs it: the retention check, the registry, the consumer paced by log time, the
 * progress measurement, exactly-once. Its rate against {@link RawCopy#readOnly()}, which reads the
 * same records, is the replay's cost over reading the log.
 *
 * <p>The job is named for the run, so its version 1 ({@code <run>-v1}) owns the run's topics, and
 * the registry topic is the run's own. Its output is that of {@link WindowedAggregation}, in the
 * version's topic {@link #updatesTopic(RunContext)}.
 */
public final class Replay extends AbstractScenario {

  private static final Logger log = LoggerFactory.getLogger(Replay.class);

  /** The replay. */
  public Replay() {
    super(
        "replay",
        "replay: a new version of the windowed aggregation catching up (JobHost, paced),"
            + " exactly-once",
        Set.of(Workload.READINGS),
        ProcessingGuarantee.EXACTLY_ONCE_V2);
  }

  /** The version that replays in the run of {@code context}. */
  public static JobVersion version(RunContext context) {
    return JobVersion.of(context.group(), 1);
  }

  /** The topic of the version's window updates. */
  public static String updatesTopic(RunContext context) {
    return version(context).naming().outputTopic(WindowedAggregation.UPDATES.name());
  }

  @Override
  public String consumerGroup(String run) {
    return JobVersion.of(run, 1).consumerGroup();
  }

  @Override
  public ScenarioRun start(RunContext context) {
    JobVersion version = version(context);
    JobHost host =
        JobHost.builder(context.jobConfig(guarantee()))
            .version(version.number(), WindowedAggregation.job(version.job()))
            .registryTopic(context.group() + "-registry")
            .instance(context.group())
            .start();
    try {
      host.startVersion(version.job(), version.number(), StartOptions.defaults());
    } catch (RuntimeException e) {
      host.close();
      throw e;
    }
    return new ScenarioRun() {
      @Override
      public void checkAlive() {
        // The host starts the version on a thread of its own: not yet running is still working.
        host.running(version)
            .map(RunningJob::state)
            .filter(state -> !state.isRunningOrRebalancing())
            .ifPresent(
                state -> {
                  throw new IllegalStateException(
                      "Scenario 'replay' stopped: " + version + " is " + state);
                });
      }

      @Override
      public void close() {
        host.progress(version).ifPresent(progress -> log.info("Replay: {}", progress));
        host.close();
      }
    };
  }
}
