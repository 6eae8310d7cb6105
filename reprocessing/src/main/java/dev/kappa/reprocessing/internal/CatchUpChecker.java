package dev.kappa.reprocessing.internal;

import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.ReplaySettings;
import dev.kappa.reprocessing.registry.CommandRefusedException;
import dev.kappa.reprocessing.registry.Registry;
import dev.kappa.reprocessing.registry.RegistryCommand;
import dev.kappa.reprocessing.registry.VersionState;
import dev.kappa.reprocessing.registry.VersionStatus;
import dev.kappa.topology.runtime.RunningJob;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the progress of the versions on this host every {@code checkInterval} and marks a
 * version caught up in the registry once its consumer group lags by at most {@code catchUpLag} on
 * every partition it reads, it runs here with its stores restored, and both have held for the
 * settling period. Whichever instance sees it first marks it, with the records every instance
 * dropped as late; a version started to swap when caught up is then swapped to.
 */
public final class CatchUpChecker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CatchUpChecker.class);

  private final ReplaySettings settings;
  private final Admin admin;
  private final Registry registry;
  private final VersionLifecycle lifecycle;
  private final BiConsumer<String, Integer> swap;
  private final Clock clock = Clock.systemUTC();
  private final ScheduledExecutorService checker;

  /**
   * Checks the versions of {@code lifecycle}; {@code swap} makes a version active when it was
   * started to be swapped to once caught up.
   */
  public CatchUpChecker(
      String instance,
      ReplaySettings settings,
      Admin admin,
      Registry registry,
      VersionLifecycle lifecycle,
      BiConsumer<String, Integer> swap) {
    this.settings = settings;
    this.admin = admin;
    this.registry = registry;
    this.lifecycle = lifecycle;
    this.swap = swap;
    this.checker =
        Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("kappa-host-checker-" + instance));
  }

  /** Starts checking. */
  public void start() {
    long every = settings.checkInterval().toMillis();
    checker.scheduleWithFixedDelay(this::checkAll, every, every, TimeUnit.MILLISECONDS);
  }

  private void checkAll() {
    for (VersionRuntime runtime : lifecycle.runtimes()) {
      try {
        check(runtime);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        log.warn("Cannot measure the progress of {}: {}", runtime.version(), e.toString());
      }
    }
  }

  private void check(VersionRuntime runtime) throws Exception {
    JobVersion version = runtime.version();
    Optional<VersionState> state = registry.history(version.job()).version(version.number());
    if (state.isEmpty() || state.get().status() == VersionStatus.RETIRED) {
      return;
    }
    boolean caughtUp = state.get().status() == VersionStatus.CAUGHT_UP;
    Instant now = clock.instant();
    ProgressMeter.Measurement measurement = runtime.meter().measure(admin, runtime, caughtUp, now);
    runtime.progress(measurement.progress());
    RunningJob running = runtime.running();
    if (caughtUp) {
      runtime.changelogs().follow(admin, now);
      if (runtime.catchingUp()) {
        lifecycle.goLiveLater(runtime, false);
      } else if (running.state() == KafkaStreams.State.RUNNING && runtime.takeSwapWhenLive()) {
        swapWhenCaughtUp(version);
      }
      return;
    }
    boolean ready =
        measurement.progress().reachedTarget()
            && measurement.maxPartitionLag() <= settings.catchUpLag()
            && running.state() == KafkaStreams.State.RUNNING
            && running.restoringPartitions().isEmpty();
    if (!runtime.readyFor(ready, now, settings.settlingPeriod())) {
      return;
    }
    long lateDropped = measurement.progress().lateDropped();
    try {
      registry.submit(new RegistryCommand.CaughtUp(version.job(), version.number(), lateDropped));
      if (lateDropped > 0) {
        log.warn(
            "{} has caught up, but dropped {} records as late: a swap to it is refused unless"
                + " forced. {}",
            version,
            lateDropped,
            measurement.progress());
      } else {
        log.info("{} has caught up: {}", version, measurement.progress());
      }
    } catch (CommandRefusedException e) {
      log.debug("{} was marked caught up by another instance: {}", version, e.getMessage());
      return;
    }
    if (runtime.catchingUp()) {
      // Restarted with the job's own settings first; the swap waits until it runs again.
      lifecycle.goLiveLater(runtime, state.get().swapWhenCaughtUp());
    } else if (state.get().swapWhenCaughtUp()) {
      swapWhenCaughtUp(version);
    }
  }

  private void swapWhenCaughtUp(JobVersion version) {
    if (registry.history(version.job()).active().orElse(-1) == version.number()) {
      return;
    }
    try {
      swap.accept(version.job(), version.number());
    } catch (CommandRefusedException e) {
      log.warn("Cannot swap to {} when it caught up: {}", version, e.getMessage());
    }
  }

  /** Stops checking. */
  @Override
  public void close() {
    checker.shutdownNow();
  }
}
