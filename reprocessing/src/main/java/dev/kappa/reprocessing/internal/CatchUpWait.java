package dev.kappa.reprocessing.internal;

import dev.kappa.reprocessing.CatchUpTimeoutException;
import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.registry.JobHistory;
import dev.kappa.reprocessing.registry.RegistryCommand;
import dev.kappa.reprocessing.registry.RegistryListener;
import dev.kappa.reprocessing.registry.VersionState;
import dev.kappa.reprocessing.registry.VersionStatus;
import dev.kappa.reprocessing.replay.ReplayProgress;
import dev.kappa.topology.KappaException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One caller's wait for a version to catch up, woken by the registry rather than by polling: added
 * as a {@link RegistryListener} before it {@link #consider considers} the current history, so that
 * no command is missed between the two, it ends as soon as the registry lists the version as caught
 * up, fails as soon as it lists it as retired, and otherwise fails when the time is up, with the
 * version's last progress here. A version the registry does not list yet is waited for too: it may
 * have been started on another instance a moment ago, a command this host has not read yet.
 *
 * <p>Caught up means the registry's status {@link VersionStatus#CAUGHT_UP}, not active: the first
 * version of a job is active at once, before it has replayed its backlog, and so is a version
 * swapped to with force; both are marked caught up once they are.
 *
 * <p>Thread-safe: the registry's reading thread tells it of changes, the caller's thread waits.
 */
public final class CatchUpWait implements RegistryListener {

  private final JobVersion version;
  private final String instance;
  private final boolean codeHere;
  private final Supplier<Optional<ReplayProgress>> progress;
  private final CompletableFuture<JobHistory> outcome = new CompletableFuture<>();
  private volatile @Nullable VersionState last;
  private volatile String listed = "";

  /**
   * A wait for {@code version} on host {@code instance}, which has its code if {@code codeHere} and
   * measures its {@code progress} there.
   */
  public CatchUpWait(
      JobVersion version,
      String instance,
      boolean codeHere,
      Supplier<Optional<ReplayProgress>> progress) {
    this.version = version;
    this.instance = instance;
    this.codeHere = codeHere;
    this.progress = progress;
  }

  @Override
  public void changed(JobHistory before, JobHistory after, RegistryCommand command) {
    if (command.job().equals(version.job())) {
      consider(after);
    }
  }

  /**
   * Ends the wait if {@code history} lists the version as caught up, fails it if the version is
   * retired; else keeps waiting.
   */
  public void consider(JobHistory history) {
    listed = known(history);
    Optional<VersionState> state = history.version(version.number());
    if (state.isEmpty()) {
      return;
    }
    last = state.get();
    if (state.get().status() == VersionStatus.CAUGHT_UP) {
      outcome.complete(history);
    } else if (state.get().status() == VersionStatus.RETIRED) {
      outcome.completeExceptionally(
          new IllegalStateException(
              "Cannot wait for "
                  + version
                  + " to catch up: it is retired, and a retired version never runs again. Start a"
                  + " new version number instead, for example v"
                  + (history.versions().lastKey() + 1)
                  + "."));
    }
  }

  /** Fails the wait at once, because the host closes. */
  public void abort() {
    outcome.completeExceptionally(
        new IllegalStateException(
            "Stopped waiting for " + version + " to catch up: host " + instance + " closed."));
  }

  /**
   * Waits up to {@code timeout} for the outcome.
   *
   * @return the job's history that lists the version as caught up
   * @throws IllegalStateException if the version is retired, or the host closed
   * @throws CatchUpTimeoutException if it has not caught up within {@code timeout}, or was not
   *     started by then
   * @throws KappaException if the thread is interrupted (its interrupt flag is set again)
   */
  public JobHistory await(Duration timeout) {
    try {
      return outcome.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      // Thrown again with this thread's stack; the registry's thread made the cause.
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw timedOut(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KappaException("Interrupted while waiting for " + version + " to catch up", e);
    }
  }

  private CatchUpTimeoutException timedOut(Duration timeout) {
    VersionState state = last;
    if (state == null) {
      return new CatchUpTimeoutException(
          version
              + " has not caught up within "
              + timeout
              + ": it was never started. "
              + listed
              + " Start it with JobHost#startVersion, on any instance.",
          version,
          null);
    }
    ReplayProgress measured = progress.get().orElse(null);
    String where;
    if (measured != null) {
      where = "Its progress on host " + instance + ": " + measured + ".";
    } else if (codeHere) {
      where = "Host " + instance + " has not measured its progress yet.";
    } else {
      where =
          "Host "
              + instance
              + " does not have its code, so its progress is measured on the instances that do.";
    }
    return new CatchUpTimeoutException(
        version
            + " has not caught up within "
            + timeout
            + ": the registry lists it as "
            + state.status()
            + ". "
            + where
            + " Wait longer, or swap to it with force to serve tables built from part of the"
            + " log.",
        version,
        measured);
  }

  private static String known(JobHistory history) {
    if (history.versions().isEmpty()) {
      return "The registry has no version of job '" + history.job() + "'.";
    }
    return "The registry lists "
        + history.versions().values().stream()
            .map(
                state ->
                    "v"
                        + state.version().number()
                        + " "
                        + state.status()
                        + (history.active().orElse(0) == state.version().number()
                            ? " (active)"
                            : ""))
            .collect(Collectors.joining(", ", "[", "]"))
        + ".";
  }
}
