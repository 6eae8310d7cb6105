package dev.kappa.reprocessing.registry;

/** Where a version is in its life. Active is not a status: {@link JobHistory#active()} says it. */
public enum VersionStatus {
  /** Started, and replaying or running; not yet known to have caught up. */
  REPLAYING,
  /** Caught up with its sources at least once: it may become active. */
  CAUGHT_UP,
  /** Stopped everywhere and its topics, group and state deleted; it never runs again. */
  RETIRED
}
