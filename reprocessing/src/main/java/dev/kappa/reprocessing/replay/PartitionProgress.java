package dev.kappa.reprocessing.replay;

import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a version has replayed one source partition.
 *
 * @param partition the source partition
 * @param replayed records committed since the earliest offset the replay started from
 * @param target records between that offset and the end offset when the version started
 * @param lag records between the committed offset and the end offset now
 */
public record PartitionProgress(TopicPartition partition, long replayed, long target, long lag) {

  /** Checks the parts. */
  public PartitionProgress {
    Objects.requireNonNull(partition, "partition");
  }

  /** Whether the committed offset has reached the end offset of the version's start. */
  public boolean reachedTarget() {
    return replayed >= target;
  }
}
