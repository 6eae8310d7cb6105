package dev.kappa.reprocessing.internal;

import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.ReplaySettings;
import dev.kappa.reprocessing.replay.Alignment;
import dev.kappa.reprocessing.replay.ReplayPlan;
import dev.kappa.reprocessing.replay.ReplayProgress;
import dev.kappa.reprocessing.replay.internal.EventTimeGate;
import dev.kappa.reprocessing.replay.internal.PacedClientSupplier;
import dev.kappa.reprocessing.replay.internal.RecordTimes;
import dev.kappa.reprocessing.replay.internal.SharedPositions;
import dev.kappa.topology.JobTopology;
import dev.kappa.topology.runtime.JobConfig;
import dev.kappa.topology.runtime.RunningJob;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One version running on this host: its Kafka Streams instance, whose consumers an {@link
 * EventTimeGate} aligns with the version's other instances through the shared positions, and what
 * is known of its replay. The checker thread measures it; any thread may read its last progress.
 */
public final class VersionRuntime {

  private final JobVersion version;
  private final JobTopology topology;
  private final @Nullable EventTimeGate gate;
  private final SharedPositions.Version shared;
  private final RunningJob running;
  private final ProgressMeter meter;
  private final ChangelogRetention changelogs;
  private final Map<Integer, String> steps;
  private final boolean catchingUp;
  private volatile boolean swapWhenLive;
  private volatile @Nullable ReplayProgress progress;
  private @Nullable Instant readySince;
  private Map<String, Long> publishedLate = Map.of();

  private VersionRuntime(
      JobVersion version,
      JobTopology topology,
      @Nullable EventTimeGate gate,
      SharedPositions.Version shared,
      RunningJob running,
      ProgressMeter meter,
      ChangelogRetention changelogs,
      boolean catchingUp) {
    this.version = version;
    this.catchingUp = catchingUp;
    this.topology = topology;
    this.gate = gate;
    this.shared = shared;
    this.running = running;
    this.meter = meter;
    this.changelogs = changelogs;
    this.steps = TopologySteps.of(topology);
  }

  /**
   * Starts {@code topology} as {@code version}, aligned with its other instances through {@code
   * positions}, and measures its replay of {@code plan}. If {@code mayCatchUp} and the plan has
   * more than the catch-up lag to replay, it runs with the catch-up settings over {@code config}.
   * The window-store changelogs it creates keep everything until {@link #changelogs()} sets their
   * retention.
   */
  public static VersionRuntime start(
      JobVersion version,
      JobTopology topology,
      ReplayPlan plan,
      JobConfig config,
      ReplaySettings settings,
      SharedPositions positions,
      boolean mayCatchUp) {
    SharedPositions.Version shared =
        positions.version(topology.applicationId(), plan.targets().keySet());
    boolean catchingUp =
        mayCatchUp && !settings.catchUp().isEmpty() && plan.records() > settings.catchUpLag();
    ChangelogRetention changelogs =
        new ChangelogRetention(version, topology, plan.targets().keySet(), config);
    config = ChangelogRetention.whileReplaying(config);
    if (catchingUp) {
      for (Map.Entry<String, Object> setting : settings.catchUp().overrides().entrySet()) {
        config = config.with(setting.getKey(), setting.getValue());
      }
    }
    ProgressMeter meter = new ProgressMeter(version, plan);
    if (!settings.aligned()) {
      RunningJob running = RunningJob.start(topology, config);
      return new VersionRuntime(
          version, topology, null, shared, running, meter, changelogs, catchingUp);
    }
    PacedClientSupplier.requireClassicProtocol(topology.applicationId(), config.overrides());
    EventTimeGate gate =
        new EventTimeGate(
            RecordTimes.of(topology),
            shared,
            settings.maxEventTimeSkew(topology),
            settings.catchUpLag());
    RunningJob running = RunningJob.start(topology, config, new PacedClientSupplier(gate));
    return new VersionRuntime(
        version, topology, gate, shared, running, meter, changelogs, catchingUp);
  }

  /** Whether it runs with the catch-up settings, to be restarted with the job's once caught up. */
  public boolean catchingUp() {
    return catchingUp;
  }

  /** Asks for a swap to the version once it runs, restarted with the job's settings. */
  public void swapWhenLive() {
    swapWhenLive = true;
  }

  /** Whether a swap was asked for once it runs; asking again answers false. */
  public boolean takeSwapWhenLive() {
    boolean asked = swapWhenLive;
    swapWhenLive = false;
    return asked;
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

  /** The retention of its window-store changelogs, set once it has caught up. */
  public ChangelogRetention changelogs() {
    return changelogs;
  }

  /** How its sources are aligned on this instance now. */
  public Alignment alignment() {
    if (gate == null) {
      return new Alignment(false, Optional.empty(), Duration.ZERO, Duration.ZERO, 0, 0, 0);
    }
    return new Alignment(
        gate.aligning(),
        gate.watermark().stream().mapToObj(Instant::ofEpochMilli).findFirst(),
        gate.maxSkew(),
        gate.observedDisorder(),
        gate.heldTotal(),
        gate.heldNow(),
        gate.realignments());
  }

  /**
   * Publishes the records this instance dropped as late, by step, if they changed, and returns
   * those of every instance of the version.
   */
  public Map<String, Long> lateDroppedByStep() {
    Map<String, Long> here = new TreeMap<>();
    running
        .lateDroppedBySubtopology()
        .forEach(
            (subtopology, count) ->
                here.merge(
                    steps.getOrDefault(subtopology, "sub-topology " + subtopology),
                    count,
                    Long::sum));
    if (!here.equals(publishedLate)) {
      shared.publishLate(here);
      publishedLate = Map.copyOf(here);
    }
    return shared.lateByStep();
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
