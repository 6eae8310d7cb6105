package dev.kappa.reprocessing.registry;

import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.registry.RegistryCommand.CaughtUp;
import dev.kappa.reprocessing.registry.RegistryCommand.Retired;
import dev.kappa.reprocessing.registry.RegistryCommand.RolledBack;
import dev.kappa.reprocessing.registry.RegistryCommand.Started;
import dev.kappa.reprocessing.registry.RegistryCommand.Swapped;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The versions of one job as the registry's commands left them: each version's status, the active
 * version, and the version it replaced (the one a rollback returns to). Immutable: {@link
 * #apply(RegistryCommand)} returns the next history. Every instance folds the same commands into
 * equal histories.
 *
 * <p>The rules, checked by {@link #check(RegistryCommand)}:
 *
 * <ul>
 *   <li>a version number is started once, and the first version of a job is active at once;
 *   <li>a swap goes from the active version to another version that has caught up without dropping
 *       a record as late (or is forced) and is not retired;
 *   <li>a rollback goes from the active version back to the version it replaced, if that one is not
 *       retired;
 *   <li>a retired version never runs again, and the active version cannot be retired.
 * </ul>
 */
public final class JobHistory {

  private final String job;
  private final long sequence;
  private final SortedMap<Integer, VersionState> versions;
  private final @Nullable Integer active;
  private final @Nullable Integer previous;

  private JobHistory(
      String job,
      long sequence,
      SortedMap<Integer, VersionState> versions,
      @Nullable Integer active,
      @Nullable Integer previous) {
    this.job = job;
    this.sequence = sequence;
    this.versions = Collections.unmodifiableSortedMap(versions);
    this.active = active;
    this.previous = previous;
  }

  /** The history of a job the registry has no command for. */
  public static JobHistory empty(String job) {
    JobVersion.of(job, 1);
    return new JobHistory(job, 0, new TreeMap<>(), null, null);
  }

  /** The job. */
  public String job() {
    return job;
  }

  /**
   * How many commands were folded into this history. A command is written with the next number, so
   * that of two commands written at once from the same history, only the first is folded.
   */
  public long sequence() {
    return sequence;
  }

  /** Every version ever started, retired ones included, by number. */
  public SortedMap<Integer, VersionState> versions() {
    return versions;
  }

  /** The version called {@code number}, if it was started. */
  public Optional<VersionState> version(int number) {
    return Optional.ofNullable(versions.get(number));
  }

  /** The versions that are not retired: those that run on every instance that has their code. */
  public List<VersionState> running() {
    return versions.values().stream()
        .filter(state -> state.status() != VersionStatus.RETIRED)
        .toList();
  }

  /** The number of the version whose tables answer queries; empty before the first start. */
  public OptionalInt active() {
    return active == null ? OptionalInt.empty() : OptionalInt.of(active);
  }

  /** The version the active one replaced, which a rollback returns to, while not retired. */
  public OptionalInt previous() {
    return previous == null ? OptionalInt.empty() : OptionalInt.of(previous);
  }

  /**
   * Checks {@code command} against the rules.
   *
   * @throws CommandRefusedException with the rule it breaks and what to do
   * @throws IllegalArgumentException if the command is about another job
   */
  public void check(RegistryCommand command) {
    if (!command.job().equals(job)) {
      throw new IllegalArgumentException(
          "Command " + command + " is about job '" + command.job() + "', not '" + job + "'");
    }
    String refusal = refusal(command);
    if (refusal != null) {
      throw new CommandRefusedException(refusal);
    }
  }

  /**
   * The history after {@code command}.
   *
   * @throws CommandRefusedException if the command breaks a rule; see {@link #check}
   */
  public JobHistory apply(RegistryCommand command) {
    check(command);
    TreeMap<Integer, VersionState> next = new TreeMap<>(versions);
    long nextSequence = sequence + 1;
    if (command instanceof Started started) {
      next.put(
          started.version(),
          new VersionState(
              JobVersion.of(job, started.version()),
              VersionStatus.REPLAYING,
              started.partialHistory(),
              started.swapWhenCaughtUp(),
              started.startedBy(),
              0));
      return new JobHistory(
          job, nextSequence, next, active == null ? started.version() : active, previous);
    } else if (command instanceof CaughtUp caughtUp) {
      next.computeIfPresent(
          caughtUp.version(), (number, state) -> state.caughtUp(caughtUp.lateDropped()));
      return new JobHistory(job, nextSequence, next, active, previous);
    } else if (command instanceof Swapped swapped) {
      return new JobHistory(job, nextSequence, next, swapped.to(), swapped.from());
    } else if (command instanceof RolledBack rolledBack) {
      return new JobHistory(job, nextSequence, next, rolledBack.to(), rolledBack.from());
    } else {
      Retired retired = (Retired) command;
      next.computeIfPresent(
          retired.version(), (number, state) -> state.withStatus(VersionStatus.RETIRED));
      Integer stillPrevious = Objects.equals(previous, retired.version()) ? null : previous;
      return new JobHistory(job, nextSequence, next, active, stillPrevious);
    }
  }

  private @Nullable String refusal(RegistryCommand command) {
    if (command instanceof Started started) {
      VersionState existing = versions.get(started.version());
      return existing == null
          ? null
          : "Cannot start "
              + existing.version()
              + ": it was started before and is "
              + existing.status()
              + ". Start a new version number, for example v"
              + (versions.lastKey() + 1)
              + ".";
    } else if (command instanceof CaughtUp caughtUp) {
      return refusalUnlessStatus(caughtUp.version(), "mark", VersionStatus.REPLAYING);
    } else if (command instanceof Swapped swapped) {
      return swapRefusal(swapped);
    } else if (command instanceof RolledBack rolledBack) {
      return rollbackRefusal(rolledBack);
    } else {
      Retired retired = (Retired) command;
      VersionState state = versions.get(retired.version());
      if (state == null || state.status() == VersionStatus.RETIRED) {
        return notRunning("retire", retired.version());
      }
      if (Objects.equals(active, retired.version())) {
        return "Cannot retire "
            + state.version()
            + ": it is the active version. Swap to another version first.";
      }
      return null;
    }
  }

  private @Nullable String swapRefusal(Swapped swapped) {
    JobVersion to = JobVersion.of(job, swapped.to());
    if (!Objects.equals(active, swapped.from())) {
      return "Cannot swap job '" + job + "' from v" + swapped.from() + ": " + activeNow();
    }
    VersionState state = versions.get(swapped.to());
    if (state == null || state.status() == VersionStatus.RETIRED) {
      return notRunning("swap to", swapped.to());
    }
    if (swapped.to() == swapped.from()) {
      return "Cannot swap job '" + job + "' to " + to + ": it is already the active version.";
    }
    if (state.status() != VersionStatus.CAUGHT_UP && !swapped.forced()) {
      return "Cannot swap job '"
          + job
          + "' to v"
          + swapped.to()
          + ": v"
          + swapped.to()
          + " has not caught up. Wait for catch-up (see its replay progress) or force the swap.";
    }
    if (state.lateDropped() > 0 && !swapped.forced()) {
      return String.format(
          "Cannot swap job '%s' to v%d: v%d dropped %,d records as late while it caught up, so its"
              + " tables miss them. Replay it again as a new version with a larger grace or a"
              + " smaller skew (see its replay progress for the disorder seen), or force the swap.",
          job, swapped.to(), swapped.to(), state.lateDropped());
    }
    return null;
  }

  private @Nullable String rollbackRefusal(RolledBack rolledBack) {
    if (!Objects.equals(active, rolledBack.from())) {
      return "Cannot roll back job '" + job + "' from v" + rolledBack.from() + ": " + activeNow();
    }
    if (previous == null) {
      return "Cannot roll back job '"
          + job
          + "': no earlier version to return to (it was never swapped, or the version it replaced"
          + " is retired).";
    }
    if (previous != rolledBack.to()) {
      return "Cannot roll back job '"
          + job
          + "' to v"
          + rolledBack.to()
          + ": a rollback returns to v"
          + previous
          + ", the version v"
          + active
          + " replaced. Swap to v"
          + rolledBack.to()
          + " instead.";
    }
    return null;
  }

  private @Nullable String refusalUnlessStatus(int version, String verb, VersionStatus expected) {
    VersionState state = versions.get(version);
    if (state == null) {
      return notRunning(verb, version);
    }
    return state.status() == expected
        ? null
        : "Cannot "
            + verb
            + " "
            + state.version()
            + " as caught up: it is "
            + state.status()
            + ", not "
            + expected
            + ".";
  }

  private String notRunning(String verb, int version) {
    VersionState state = versions.get(version);
    String why = state == null ? "it was never started" : "it is retired";
    return "Cannot " + verb + " " + JobVersion.of(job, version) + ": " + why + ". " + known();
  }

  private String activeNow() {
    return active == null
        ? "the job has no active version."
        : "the active version is v" + active + " (another command came first?).";
  }

  private String known() {
    return versions.isEmpty()
        ? "The registry has no version of job '" + job + "'."
        : "Known versions: " + versions.values().stream().map(this::describe).toList() + ".";
  }

  private String describe(VersionState state) {
    return "v"
        + state.version().number()
        + " "
        + state.status()
        + (Objects.equals(active, state.version().number()) ? " (active)" : "");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof JobHistory that
        && sequence == that.sequence
        && job.equals(that.job)
        && versions.equals(that.versions)
        && Objects.equals(active, that.active)
        && Objects.equals(previous, that.previous);
  }

  @Override
  public int hashCode() {
    return Objects.hash(job, sequence, versions, active, previous);
  }

  @Override
  public String toString() {
    return "JobHistory['" + job + "', #" + sequence + ", " + known() + "]";
  }
}
