package dev.kappa.reprocessing.registry;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.kappa.reprocessing.JobVersion;
import org.jspecify.annotations.Nullable;

/**
 * A change to the versions of a job, as the registry records it. Every instance folds the same
 * commands in the same order into the same {@link JobHistory}; a command that breaks the rules of
 * {@link JobHistory#check(RegistryCommand)} is refused before it is written, and skipped if it is
 * found in the topic anyway.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = RegistryCommand.Started.class, name = "started"),
  @JsonSubTypes.Type(value = RegistryCommand.CaughtUp.class, name = "caught-up"),
  @JsonSubTypes.Type(value = RegistryCommand.Swapped.class, name = "swapped"),
  @JsonSubTypes.Type(value = RegistryCommand.RolledBack.class, name = "rolled-back"),
  @JsonSubTypes.Type(value = RegistryCommand.Retired.class, name = "retired"),
})
public sealed interface RegistryCommand {

  /** The job the command is about. */
  String job();

  /**
   * A version was started and replays its sources from the earliest offset. The first version of a
   * job becomes active at once: there is nothing else to serve.
   *
   * @param partialHistory whether the caller accepted sources whose history no longer reaches back
   *     to the beginning
   * @param swapWhenCaughtUp whether the version becomes active by itself when it has caught up
   * @param startedBy the instance that started it (every instance runs it); null if not known
   */
  record Started(
      String job,
      int version,
      boolean partialHistory,
      boolean swapWhenCaughtUp,
      @JsonAlias("replayer") @Nullable String startedBy)
      implements RegistryCommand {
    public Started {
      JobVersion.of(job, version);
    }
  }

  /**
   * A version has caught up with its sources and may become active.
   *
   * @param lateDropped the records it dropped as late while it caught up, on every instance: a swap
   *     to a version that dropped any is refused unless forced
   */
  record CaughtUp(String job, int version, long lateDropped) implements RegistryCommand {
    public CaughtUp {
      JobVersion.of(job, version);
    }
  }

  /**
   * The active version changed from {@code from} to {@code to}.
   *
   * @param forced whether the swap was made although {@code to} had not caught up
   */
  record Swapped(String job, int from, int to, boolean forced) implements RegistryCommand {
    public Swapped {
      JobVersion.of(job, to);
      JobVersion.of(job, from);
    }
  }

  /** The active version went back from {@code from} to the version it replaced, {@code to}. */
  record RolledBack(String job, int from, int to) implements RegistryCommand {
    public RolledBack {
      JobVersion.of(job, to);
      JobVersion.of(job, from);
    }
  }

  /** A version was stopped on every instance and what it owns deleted. */
  record Retired(String job, int version) implements RegistryCommand {
    public Retired {
      JobVersion.of(job, version);
    }
  }
}
