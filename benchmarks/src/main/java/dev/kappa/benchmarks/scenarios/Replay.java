package dev.kappa.benchmarks.scenarios;

import dev.kappa.benchmarks.RunContext;
import dev.kappa.benchmarks.ScenarioRun;
import dev.kappa.benchmarks.workload.Workload;
import dev.kappa.examples.networkusage.NetworkUsageJob;
import dev.kappa.reprocessing.CatchUpConfig;
import dev.kappa.reprocessing.JobHost;
import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.ReplaySettings;
import dev.kappa.reprocessing.StartOptions;
import dev.kappa.topology.KappaJob;
import dev.kappa.topology.runtime.ProcessingGuarantee;
import dev.kappa.topology.runtime.RunningJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario 7: a new version of the windowed aggregation catches up on the retained readings, as
 * {@link JobHost}s run it: the retention check, the registry, alignment by event time across the
 * instances, the progress measurement, exactly-once. Its rate against {@link RawCopy#readOnly()},
 * which reads the same records, is the replay's cost over reading the log. The variants run it on
 * one instance or two (two hosts in the scenario's JVM, with state directories of their own), with
 * alignment or without it: the aggregation is keyed as its input is, so no record is late either
 * way, and the difference is what alignment costs.
 *
 * <p>The job is named for the run, so its version 1 ({@code <run>-v1}) owns the run's topics, and
 * the registry topic is the run's own. Its output is that of {@link WindowedAggregation}, in the
 * version's topic {@link #updatesTopic(RunContext)}.
 */
public final class Replay extends AbstractScenario {

  private static final Logger log = LoggerFactory.getLogger(Replay.class);

  private final int instances;
  private final boolean aligned;
  private final Function<String, KappaJob> job;
  private final CatchUpConfig catchUp;

  /** The replay on one instance, aligned. */
  public Replay() {
    this(1, true);
  }

  /** The replay on {@code instances} instances, aligned by event time or not. */
  public Replay(int instances, boolean aligned) {
    this(
        "replay" + (aligned ? "" : "-unaligned") + (instances == 1 ? "" : "-" + instances),
        "the windowed aggregation",
        Set.of(Workload.READINGS),
        instances,
        aligned,
        WindowedAggregation::job,
        CatchUpConfig.none());
  }

  private Replay(
      String id,
      String what,
      Set<String> inputs,
      int instances,
      boolean aligned,
      Function<String, KappaJob> job,
      CatchUpConfig catchUp) {
    super(
        id,
        "replay: a new version of "
            + what
            + " catching up (JobHost"
            + (instances == 1 ? "" : " on " + instances + " instances")
            + (aligned ? ", aligned by event time" : ", not aligned")
            + (catchUp.isEmpty() ? "" : ", catching up with " + catchUp)
            + "), exactly-once",
        inputs,
        ProcessingGuarantee.EXACTLY_ONCE_V2);
    this.instances = instances;
    this.aligned = aligned;
    this.job = job;
    this.catchUp = catchUp;
  }

  /** The replay of the network-usage job on one instance, aligned; it reads readings and alarms. */
  public static Replay networkUsage() {
    return networkUsage("", CatchUpConfig.none());
  }

  /**
   * The replay of the network-usage job with {@code catchUp}'s settings while it catches up, as
   * scenario {@code replay-network-usage<suffix>}.
   */
  public static Replay networkUsage(String suffix, CatchUpConfig catchUp) {
    return new Replay(
        "replay-network-usage" + suffix,
        "the network-usage job",
        Set.of(Workload.READINGS, Workload.ALARMS),
        1,
        true,
        NetworkUsageJob::job,
        catchUp);
  }

  /** The settings each catch-up variant of the replay of the network-usage job measures alone. */
  public static List<Replay> networkUsageCatchingUp() {
    CatchUpConfig none = CatchUpConfig.none();
    return List.of(
        networkUsage("-commit-1s", none.withCommitInterval(Duration.ofSeconds(1))),
        networkUsage("-cache-64m", none.withCacheSize(64L << 20)),
        networkUsage("-threads-2", none.withStreamThreads(2)),
        networkUsage("-batching", none.withProducerBatching(Duration.ofMillis(50), 512 << 10)));
  }

  /** The version that replays in the run of {@code context}. */
  public static JobVersion version(RunContext context) {
    return JobVersion.of(context.group(), 1);
  }

  /** The topic of the version's window updates, in a replay of the windowed aggregation. */
  public static String updatesTopic(RunContext context) {
    return outputTopic(context, WindowedAggregation.UPDATES.name());
  }

  /** The topic of the version's sink {@code sink}. */
  public static String outputTopic(RunContext context, String sink) {
    return version(context).naming().outputTopic(sink);
  }

  @Override
  public String consumerGroup(String run) {
    return JobVersion.of(run, 1).consumerGroup();
  }

  @Override
  public ScenarioRun start(RunContext context) {
    JobVersion version = version(context);
    ReplaySettings settings =
        (aligned ? ReplaySettings.defaults() : ReplaySettings.defaults().withoutAlignment())
            .withCatchUp(catchUp);
    List<JobHost> hosts = new ArrayList<>();
    try {
      for (int i = 0; i < instances; i++) {
        hosts.add(
            JobHost.builder(context.jobConfig(guarantee(), "instance-" + i))
                .version(version.number(), job.apply(version.job()))
                .settings(settings)
                .registryTopic(context.group() + "-registry")
                .instance(context.group() + "-" + i)
                .start());
      }
      hosts.get(0).startVersion(version.job(), version.number(), StartOptions.defaults());
    } catch (RuntimeException e) {
      hosts.forEach(JobHost::close);
      throw e;
    }
    return new ScenarioRun() {
      @Override
      public void checkAlive() {
        // A host starts the version on a thread of its own: not yet running is still working.
        for (JobHost host : hosts) {
          host.running(version)
              .map(RunningJob::state)
              .filter(state -> !state.isRunningOrRebalancing())
              .ifPresent(
                  state -> {
                    throw new IllegalStateException(
                        "Scenario '" + id() + "' stopped: " + version + " is " + state);
                  });
        }
      }

      @Override
      public void close() {
        hosts.get(0).progress(version).ifPresent(progress -> log.info("Replay: {}", progress));
        hosts.forEach(JobHost::close);
      }
    };
  }
}
