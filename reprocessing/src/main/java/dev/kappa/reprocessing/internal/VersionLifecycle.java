package dev.kappa.reprocessing.internal;

import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.ReplaySettings;
import dev.kappa.reprocessing.registry.JobHistory;
import dev.kappa.reprocessing.registry.VersionState;
import dev.kappa.reprocessing.registry.VersionStatus;
import dev.kappa.reprocessing.replay.ReplayPlan;
import dev.kappa.reprocessing.replay.internal.SharedPositions;
import dev.kappa.topology.JobTopology;
import dev.kappa.topology.runtime.JobConfig;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs on this host the versions the registry lists: every version that is not retired runs on
 * every instance that has its code, aligned with its other instances by event time, so that a
 * replay spreads over all instances and scales out with them; a retired version is stopped and its
 * local state deleted. Changes are made one at a time on a thread of their own.
 */
public final class VersionLifecycle implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(VersionLifecycle.class);

  private final String instance;
  private final JobConfig config;
  private final ReplaySettings settings;
  private final Admin admin;
  private final SharedPositions positions;
  private final ReplayMetrics metrics;
  private final Function<JobVersion, Optional<JobTopology>> code;
  private final Function<String, JobHistory> histories;
  private final Map<JobVersion, VersionRuntime> runtimes = new ConcurrentHashMap<>();
  private final Set<JobVersion> missingCode = ConcurrentHashMap.newKeySet();
  private final ExecutorService changes;

  /**
   * Versions of the jobs whose code {@code code} gives, as {@code histories} lists them, run with
   * {@code config} and {@code settings}.
   */
  public VersionLifecycle(
      String instance,
      JobConfig config,
      ReplaySettings settings,
      Admin admin,
      SharedPositions positions,
      ReplayMetrics metrics,
      Function<JobVersion, Optional<JobTopology>> code,
      Function<String, JobHistory> histories) {
    this.instance = instance;
    this.config = config;
    this.settings = settings;
    this.admin = admin;
    this.positions = positions;
    this.metrics = metrics;
    this.code = code;
    this.histories = histories;
    this.changes =
        Executors.newSingleThreadExecutor(DaemonThreads.named("kappa-host-lifecycle-" + instance));
  }

  /** The version {@code version} on this host, if it runs here. */
  public Optional<VersionRuntime> runtime(JobVersion version) {
    return Optional.ofNullable(runtimes.get(version));
  }

  /** The versions running on this host. */
  public Collection<VersionRuntime> runtimes() {
    return List.copyOf(runtimes.values());
  }

  /** Brings the versions of {@code job} here in line with the registry, soon, on its thread. */
  public void reconcileLater(String job) {
    try {
      changes.execute(() -> reconcile(histories.apply(job)));
    } catch (RejectedExecutionException e) {
      log.debug("Host {} is closing; not reconciling job '{}'", instance, job);
    }
  }

  private void reconcile(JobHistory history) {
    for (VersionState state : history.versions().values()) {
      JobVersion version = state.version();
      VersionRuntime runtime = runtimes.get(version);
      if (state.status() == VersionStatus.RETIRED) {
        if (runtime != null) {
          stop(runtime, true);
        }
      } else if (runtime == null) {
        start(version);
      }
    }
  }

  /**
   * Restarts {@code runtime}, which caught up with the catch-up settings, with the job's own
   * settings and its local state, soon, on the lifecycle thread; with {@code swap}, the new runtime
   * asks for a swap to the version once it runs.
   */
  public void goLiveLater(VersionRuntime runtime, boolean swap) {
    try {
      changes.execute(
          () -> {
            if (runtimes.get(runtime.version()) != runtime) {
              return;
            }
            stop(runtime, false);
            start(runtime.version(), false);
            if (swap) {
              runtime(runtime.version()).ifPresent(VersionRuntime::swapWhenLive);
            }
          });
    } catch (RejectedExecutionException e) {
      log.debug("Host {} is closing; not restarting {}", instance, runtime.version());
    }
  }

  private void start(JobVersion version) {
    start(version, true);
  }

  private void start(JobVersion version, boolean mayCatchUp) {
    Optional<JobTopology> topology = code.apply(version);
    if (topology.isEmpty()) {
      if (missingCode.add(version)) {
        log.warn(
            "The registry lists {}, but host {} does not have its code: it does not run here",
            version,
            instance);
      }
      return;
    }
    try {
      ReplayPlan plan = ReplayPlan.read(admin, version, topology.get().sourceTopics());
      VersionRuntime runtime =
          VersionRuntime.start(
              version, topology.get(), plan, config, settings, positions, mayCatchUp);
      runtimes.put(version, runtime);
      metrics.publish(runtime);
      log.info(
          "Host {} runs {} ({} records to replay{})",
          instance,
          version,
          plan.records(),
          runtime.catchingUp() ? ", with the catch-up settings " + settings.catchUp() : "");
    } catch (RuntimeException e) {
      log.error("Host {} cannot run {}", instance, version, e);
    }
  }

  private void stop(VersionRuntime runtime, boolean deleteState) {
    runtimes.remove(runtime.version());
    metrics.unpublish(runtime.version());
    runtime.stop(deleteState);
    log.info(
        "Host {} stopped {}{}",
        instance,
        runtime.version(),
        deleteState ? " and deleted its state" : "");
  }

  /**
   * Stops every version here, keeping its state (the other instances take over its partitions), and
   * waits up to two minutes for them.
   */
  @Override
  public void close() {
    Future<?> stopped =
        changes.submit(
            () -> List.copyOf(runtimes.values()).forEach(runtime -> stop(runtime, false)));
    changes.shutdown();
    try {
      stopped.get(2, TimeUnit.MINUTES);
      changes.awaitTermination(1, TimeUnit.MINUTES);
    } catch (ExecutionException | TimeoutException e) {
      log.warn("Host {} did not stop all versions cleanly", instance, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
