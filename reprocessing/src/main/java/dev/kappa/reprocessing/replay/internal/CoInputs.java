package dev.kappa.reprocessing.replay.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The co-input partitions assigned to the consumers of one {@link EventTimeGate}, and the bounds
 * they put on the source partitions of their tasks (see {@link CoInputPartition}). Not thread-safe:
 * the gate's lock guards it.
 */
final class CoInputs {

  private final RecordTimes times;
  private final Map<TopicPartition, CoInputPartition> partitions = new HashMap<>();

  CoInputs(RecordTimes times) {
    this.times = times;
  }

  /** Whether no consumer has a co-input partition. */
  boolean isEmpty() {
    return partitions.isEmpty();
  }

  /** Registers {@code partition} as assigned to {@code owner}, if it is a co-input. */
  void assign(Object owner, TopicPartition partition) {
    if (times.isCoInput(partition.topic())) {
      partitions.put(partition, new CoInputPartition(partition, owner));
    }
  }

  /** Forgets {@code partition} if {@code owner} has it. */
  void revoke(Object owner, TopicPartition partition) {
    CoInputPartition coInput = partitions.get(partition);
    if (coInput != null && coInput.owner == owner) {
      partitions.remove(partition);
    }
  }

  /** The co-input partitions of {@code owner}. */
  List<TopicPartition> of(Object owner) {
    List<TopicPartition> owned = new ArrayList<>();
    for (CoInputPartition coInput : partitions.values()) {
      if (coInput.owner == owner) {
        owned.add(coInput.partition);
      }
    }
    return owned;
  }

  /** Forgets what {@code partition} passed on and when it was drained: its consumer was sought. */
  void restart(TopicPartition partition) {
    CoInputPartition coInput = partitions.get(partition);
    if (coInput != null) {
      coInput.restart();
    }
  }

  /**
   * Notes the records of {@code partition} that a poll of {@code owner}'s consumer passes on.
   *
   * @return whether {@code partition} is a co-input
   */
  boolean passed(
      Object owner, TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> records) {
    if (!times.isCoInput(partition.topic())) {
      return false;
    }
    CoInputPartition coInput =
        partitions.computeIfAbsent(partition, p -> new CoInputPartition(p, owner));
    for (ConsumerRecord<byte[], byte[]> record : records) {
      coInput.passed(record, times.of(record));
    }
    return true;
  }

  /** Notes that everything of {@code partition} before {@code offset} is committed. */
  void committed(TopicPartition partition, long offset) {
    CoInputPartition coInput = partitions.get(partition);
    if (coInput != null) {
      coInput.committed(offset);
    }
  }

  /** {@code limit}, lowered to what the co-inputs of {@code state}'s task allow. */
  long limit(SourcePartition state, long limit, long maxSkewMs) {
    for (CoInputPartition coInput : beside(state)) {
      limit = Math.min(limit, Watermark.limit(coInput.bound(), maxSkewMs));
    }
    return limit;
  }

  /**
   * The co-input partitions that hold back the first held record of one of {@code waiting}, which
   * {@code low} would release, only because they were last found drained before it: a check now may
   * release the record. With {@code low}'s value, to pass to {@link #drained}.
   */
  Optional<Check> toCheck(List<SourcePartition> waiting, Watermark.Low low, long maxSkewMs) {
    Set<TopicPartition> toCheck = new HashSet<>();
    for (SourcePartition state : waiting) {
      long head = state.held.peekFirst().time();
      if (!Watermark.releases(head, Watermark.limit(low.excluding(state.partition), maxSkewMs))) {
        continue;
      }
      for (CoInputPartition coInput : beside(state)) {
        boolean heldByDrain =
            !Watermark.releases(head, Watermark.limit(coInput.drainedAt, maxSkewMs));
        boolean heldByPassed =
            !Watermark.releases(head, Watermark.limit(coInput.frontier(), maxSkewMs));
        if (heldByDrain && !heldByPassed && coInput.drainedAt < low.value()) {
          toCheck.add(coInput.partition);
        }
      }
    }
    return toCheck.isEmpty() || low.value() == Watermark.UNKNOWN
        ? Optional.empty()
        : Optional.of(new Check(low.value(), toCheck));
  }

  /** Notes that {@code owner}'s consumer found {@code drained} fetched to their end. */
  void drained(Object owner, long watermark, Set<TopicPartition> drained) {
    for (TopicPartition partition : drained) {
      CoInputPartition coInput = partitions.get(partition);
      if (coInput != null && coInput.owner == owner) {
        coInput.drainedAt = Math.max(coInput.drainedAt, watermark);
      }
    }
  }

  /** The co-input partitions of the task of {@code state}, where the same consumer has them. */
  private List<CoInputPartition> beside(SourcePartition state) {
    List<CoInputPartition> found = new ArrayList<>();
    for (String topic : times.coInputsOf(state.partition.topic())) {
      CoInputPartition coInput =
          partitions.get(new TopicPartition(topic, state.partition.partition()));
      if (coInput != null && coInput.owner == state.owner) {
        found.add(coInput);
      }
    }
    return found;
  }

  /**
   * Co-input partitions whose consumer is to ask the cluster for their end offsets, and the low
   * watermark before it asks.
   */
  record Check(long watermark, Set<TopicPartition> partitions) {}
}
