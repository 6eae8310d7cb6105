package dev.kappa.benchmarks.internal;

import dev.kappa.topology.runtime.ProcessingGuarantee;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How much of its input a run has yet to commit, from its consumer group's committed offsets: the
 * measure of "done" that every scenario shares, whether or not its output has a fixed size.
 *
 * <p>A run is done when its group's commits reach the end offset of every input partition and of
 * every partition of its repartition topics ({@code <group>-...-repartition}), read after the
 * inputs are covered. Under exactly-once a commit is part of the transaction that wrote the outputs
 * of the records before it, so it marks outputs that a {@code read_committed} reader sees; under
 * at-least-once the producer is flushed before the commit, so the outputs are written. A
 * transactional repartition partition ends with a commit marker that no record follows, so there a
 * commit one short of the end covers every record.
 */
final class CommitProgress {

  private final Admin admin;
  private final String group;
  private final Map<TopicPartition, Long> inputEnds;
  private final long markerSlack;

  CommitProgress(
      Admin admin,
      String group,
      Map<TopicPartition, Long> inputEnds,
      ProcessingGuarantee guarantee) {
    this.admin = admin;
    this.group = group;
    this.inputEnds = Map.copyOf(inputEnds);
    this.markerSlack = guarantee == ProcessingGuarantee.EXACTLY_ONCE_V2 ? 1 : 0;
  }

  /** The end offsets of {@code partitions}. */
  static Map<TopicPartition, Long> endOffsets(Admin admin, Set<TopicPartition> partitions) {
    Map<TopicPartition, OffsetSpec> latest =
        partitions.stream()
            .collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest()));
    Map<TopicPartition, ListOffsetsResultInfo> ends =
        Topics.await(admin.listOffsets(latest).all(), "read the end offsets of " + partitions);
    Map<TopicPartition, Long> offsets = new HashMap<>();
    ends.forEach((partition, info) -> offsets.put(partition, info.offset()));
    return offsets;
  }

  /** The records of the inputs (their end offsets: the inputs are written without transactions). */
  long inputRecords() {
    return inputEnds.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * The records not yet covered by a commit: those of the inputs and, once the inputs are covered,
   * those of the repartition topics. Zero when the run is done.
   */
  long remaining() {
    Map<TopicPartition, OffsetAndMetadata> committed =
        Topics.await(
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(),
            "read the committed offsets of group '" + group + "'");
    long inputs = behind(inputEnds, committed, 0);
    if (inputs > 0) {
      return inputs;
    }
    Set<String> repartitionTopics =
        Topics.await(admin.listTopics().names(), "list topics").stream()
            .filter(name -> name.startsWith(group + "-") && name.endsWith("-repartition"))
            .collect(Collectors.toSet());
    if (repartitionTopics.isEmpty()) {
      return 0;
    }
    return behind(
        endOffsets(admin, Topics.partitions(admin, repartitionTopics)), committed, markerSlack);
  }

  private static long behind(
      Map<TopicPartition, Long> ends,
      Map<TopicPartition, OffsetAndMetadata> committed,
      long slack) {
    long behind = 0;
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      OffsetAndMetadata offset = committed.get(end.getKey());
      long position = offset == null ? 0 : offset.offset();
      behind += Math.max(0, end.getValue() - slack - position);
    }
    return behind;
  }
}
