package dev.kappa.topology;

import java.util.Set;

/**
 * The source topics that feed each side of a stream-stream join of a job, read from the built
 * topology. Records with the same key meet only if both sides' topics have the same number of
 * partitions, which is checked when the job starts. Repartition topics of the job itself are left
 * out: Kafka Streams sizes them to match.
 *
 * @param join the join's name
 * @param leftTopics the source topics of the left side
 * @param rightTopics the source topics of the right side
 */
public record JoinInputs(String join, Set<String> leftTopics, Set<String> rightTopics) {

  /** Copies the topic sets. */
  public JoinInputs {
    leftTopics = Set.copyOf(leftTopics);
    rightTopics = Set.copyOf(rightTopics);
  }
}
