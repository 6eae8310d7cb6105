package dev.kappa.reprocessing.internal;

import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.replay.ReplayPlan;
import dev.kappa.reprocessing.replay.ReplayProgress;
import dev.kappa.reprocessing.replay.internal.EventTimeGate;
import dev.kappa.reprocessing.replay.internal.PacedClientSupplier;
import dev.kappa.topology.JobTopology;
import dev.kappa.topology.runtime.JobConfig;
import dev.kappa.topology.runtime.RunningJob;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One version running on this host: its Kafka Streams instance, started with a consumer paced by an
 * {@link EventTimeGate} until it reaches the end offsets its sources had at start, and what is
 * known of its replay. The checker thread measures it; any thread may read its last progress.
 */
public final class VersionRuntime {

  private final JobVersion version;
  private final JobTopology topology;
  private final EventTimeGate gate;
  private final RunningJob running;
  private final ProgressMeter meter;
  private volatile @Nullable ReplayProgress progress;
  private @Nullable Instant readySince;

  private VersionRuntime(
      JobVersion version,
      JobTopology topology,
      EventTimeGate gate,
      RunningJob running,
      ProgressMeter meter) {
    this.version = version;
    this.topology = topology;
    this.gate = gate;
    this.running = running;
    this.meter = meter;
  }

  /**
   * Starts {@code topology} as {@code version}, replaying {@code plan} with at most {@code skew}.
   */
  public static VersionRuntime start(
      JobVersion version, JobTopology topology, ReplayPlan plan, JobConfig config, Duration skew) {
    PacedClientSupplier.requireClassicProtocol(topology.applicationId(), config.overrides());
    EventTimeGate gate = new EventTimeGate(skew, plan.targets());
    RunningJob running = RunningJob.start(topology, config, new PacedClientSupplier(gate));
    return new VersionRuntime(version, topology, gate, running, new ProgressMeter(version, plan));
  }

  /** The version. */
  public JobVersion version() {
    return version;
  }

  /** The topology it runs. */
  public JobTopology topology() {
    return topology;
  }

  /** Its Kafka Streams instance. */
  public RunningJob running() {
    return running;
  }

  /** The meter of its replay. */
  public ProgressMeter meter() {
    return meter;
  }

  /** Records held back by pacing so far. */
  public long pacedRecords() {
    return gate.heldTotal();
  }

  /** The last measured progress, if any. */
  public Optional<ReplayProgress> progress() {
    return Optional.ofNullable(progress);
  }

  /** Keeps {@code latest} as the last measured progress. */
  public void progress(ReplayProgress latest) {
    this.progress = latest;
  }

  /**
   * Notes whether the catch-up condition holds now and tells whether it has held for {@code
   * settling}.
   */
  public boolean readyFor(boolean ready, Instant now, Duration settling) {
    if (!ready) {
      readySince = null;
      return false;
    }
    if (readySince == null) {
      readySince = now;
    }
    return Duration.between(readySince, now).compareTo(settling) >= 0;
  }

  /** Stops it; with {@code deleteState}, deletes its local state too. */
  public void stop(boolean deleteState) {
    if (deleteState) {
      running.closeAndDeleteState();
    } else {
      running.close();
    }
  }
}
