package dev.kappa.reprocessing.replay;

import dev.kappa.reprocessing.JobVersion;
import dev.kappa.topology.KappaException;
import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A version cannot start because source topics it reads do not exist. Create them (with the
 * partitions the job's co-partitioned sources share), then start it again; a host starts a job's
 * first version by itself once they exist.
 */
public class MissingSourcesException extends KappaException {

  private final SortedSet<String> topics;

  /** {@code version} cannot start: {@code topics} do not exist. */
  public MissingSourcesException(JobVersion version, Set<String> topics) {
    super(
        "Cannot start "
            + version
            + ": its source topics "
            + new TreeSet<>(topics)
            + " do not exist. Create them, then start it again");
    this.topics = Collections.unmodifiableSortedSet(new TreeSet<>(topics));
  }

  /** The source topics that do not exist, sorted. */
  public SortedSet<String> topics() {
    return topics;
  }
}
