package dev.kappa.reprocessing.replay.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.jspecify.annotations.Nullable;

/**
 * The main consumer of one stream thread of a version: it polls the real consumer and passes on the
 * records of the source partitions only as its {@link EventTimeGate} releases them, holding the
 * others; every other partition's records pass unchanged. After each poll it tells the gate how far
 * each source partition lags, and after each commit (at-least-once) what was committed.
 *
 * <p>To Kafka Streams it looks like a consumer that has not fetched the held records yet, so that
 * nothing it commits skips one:
 *
 * <ul>
 *   <li>{@link #poll(Duration)} returns released records with {@link ConsumerRecords#nextOffsets()}
 *       covering only them (Kafka Streams commits those offsets for a task with an empty queue).
 *       While the gate holds everything back, it waits up to its timeout, looking at the gate every
 *       10 ms, since a commit of another stream thread or instance may be what releases its
 *       records;
 *   <li>{@link #position(TopicPartition)} is the offset of the first held record, if any (Kafka
 *       Streams commits the position when it is beyond the last record it processed);
 *   <li>{@link #currentLag(TopicPartition)} is 0 for a partition with held records: they are later
 *       than what was released, so a task need not wait for them before it processes its other
 *       partitions (with a positive lag, a join task would wait for them while its other input,
 *       paused because its buffer is full, holds the gate: a deadlock);
 *   <li>seeking a partition, and losing or giving it up in a rebalance, drops its held records
 *       (after Kafka Streams' own rebalance listener, which commits the revoked tasks using the
 *       positions above); they are fetched again from wherever the consumer goes next.
 * </ul>
 *
 * <p>Kafka Streams' own pauses ({@link #pause}, {@link #resume}, {@link #paused()}) are kept apart
 * from those of the consumer itself, which stops fetching a partition while it holds more than
 * twice {@code max.poll.records} of its records, and resumes once it holds {@code max.poll.records}
 * or fewer.
 *
 * <p>Not thread-safe, like {@code KafkaConsumer}: one stream thread uses it, and only {@link
 * #wakeup()} may be called from another thread.
 */
public final class PacedConsumer implements Consumer<byte[], byte[]> {

  /**
   * The longest one poll of the delegate waits while this consumer's held records wait for the
   * gate.
   */
  private static final Duration BLOCKED_POLL = Duration.ofMillis(10);

  private final Consumer<byte[], byte[]> delegate;
  private final EventTimeGate gate;
  private final int maxPollRecords;
  private final Set<TopicPartition> pausedByStreams = new HashSet<>();
  private final Set<TopicPartition> pausedHere = new HashSet<>();

  /**
   * Paces {@code delegate} with {@code gate}, which the consumers of all stream threads of the
   * Kafka Streams instance share.
   *
   * @param maxPollRecords at most how many held records one poll releases (more when a partition
   *     reaches its target), and half of how many held records of one partition stop its fetching
   * @throws IllegalArgumentException if {@code maxPollRecords} is not positive
   */
  public PacedConsumer(Consumer<byte[], byte[]> delegate, EventTimeGate gate, int maxPollRecords) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.gate = Objects.requireNonNull(gate, "gate");
    if (maxPollRecords < 1) {
      throw new IllegalArgumentException(
          "maxPollRecords must be at least 1, was " + maxPollRecords);
    }
    this.maxPollRecords = maxPollRecords;
  }

  /** The gate that paces this consumer. */
  public EventTimeGate gate() {
    return gate;
  }

  @Override
  public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
    long deadline = System.nanoTime() + Math.min(timeout.toNanos(), Long.MAX_VALUE / 4);
    while (true) {
      long remaining = Math.max(0, deadline - System.nanoTime());
      ConsumerRecords<byte[], byte[]> polled = pollOnce(Duration.ofNanos(remaining));
      if (!polled.isEmpty() || !polled.nextOffsets().isEmpty() || remaining == 0) {
        return polled;
      }
    }
  }

  private ConsumerRecords<byte[], byte[]> pollOnce(Duration timeout) {
    // Everything that may throw happens before the delegate hands over records: after that, an
    // exception would lose them, as the delegate has moved past them.
    pauseFullPartitions();
    Set<TopicPartition> notReleasable = Set.copyOf(pausedByStreams);
    CoInputProbe.check(delegate, gate, this, notReleasable);
    Duration wait = timeout;
    if (gate.canRelease(this, notReleasable)) {
      wait = Duration.ZERO;
    } else if (gate.aligning() && wait.compareTo(BLOCKED_POLL) > 0) {
      // What holds this consumer back may be another partition's commit, here or on another
      // instance, which no fetch of ours can show: look at the gate again soon.
      wait = BLOCKED_POLL;
    }
    ConsumerRecords<byte[], byte[]> fetched = delegate.poll(wait);

    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> records = new HashMap<>();
    Map<TopicPartition, OffsetAndMetadata> nextOffsets = new HashMap<>();
    Set<TopicPartition> partitions = new HashSet<>(fetched.partitions());
    partitions.addAll(fetched.nextOffsets().keySet());
    for (TopicPartition partition : partitions) {
      List<ConsumerRecord<byte[], byte[]>> partitionRecords = fetched.records(partition);
      OffsetAndMetadata next = fetched.nextOffsets().get(partition);
      if (!gate.hold(this, partition, partitionRecords, next)) {
        if (!partitionRecords.isEmpty()) {
          records.put(partition, partitionRecords);
        }
        if (next != null) {
          nextOffsets.put(partition, next);
        }
      }
    }
    gate.lags(this, lags());
    EventTimeGate.Released released = gate.release(this, notReleasable, maxPollRecords);
    records.putAll(released.records());
    nextOffsets.putAll(released.nextOffsets());
    return new ConsumerRecords<>(records, nextOffsets);
  }

  /** How far each source partition of this consumer is from its end, where the consumer knows. */
  private Map<TopicPartition, Long> lags() {
    Map<TopicPartition, Long> lags = new HashMap<>();
    for (TopicPartition partition : gate.partitionsOf(this)) {
      OptionalLong lag = delegate.currentLag(partition);
      if (lag.isPresent()) {
        lags.put(partition, lag.getAsLong());
      }
    }
    return lags;
  }

  /** Stops fetching partitions that hold too many records, and resumes them once they hold few. */
  private void pauseFullPartitions() {
    Map<TopicPartition, Integer> held = gate.heldRecords(this);
    if (held.isEmpty() && pausedHere.isEmpty()) {
      return;
    }
    Set<TopicPartition> full = new HashSet<>();
    held.forEach(
        (partition, count) -> {
          int limit = pausedHere.contains(partition) ? maxPollRecords : 2 * maxPollRecords;
          if (count > limit) {
            full.add(partition);
          }
        });
    full.retainAll(delegate.assignment());
    Set<TopicPartition> toResume = new HashSet<>(pausedHere);
    toResume.removeAll(full);
    toResume.removeAll(pausedByStreams);
    toResume.retainAll(delegate.assignment());
    Set<TopicPartition> toPause = new HashSet<>(full);
    toPause.removeAll(pausedHere);
    toPause.removeAll(pausedByStreams);
    pausedHere.clear();
    pausedHere.addAll(full);
    if (!toPause.isEmpty()) {
      delegate.pause(toPause);
    }
    if (!toResume.isEmpty()) {
      delegate.resume(toResume);
    }
  }

  @Override
  public long position(TopicPartition partition) {
    Optional<ConsumerRecord<byte[], byte[]>> held = gate.firstHeld(partition);
    return held.isPresent() ? held.get().offset() : delegate.position(partition);
  }

  @Override
  public long position(TopicPartition partition, Duration timeout) {
    Optional<ConsumerRecord<byte[], byte[]>> held = gate.firstHeld(partition);
    return held.isPresent() ? held.get().offset() : delegate.position(partition, timeout);
  }

  @Override
  public OptionalLong currentLag(TopicPartition partition) {
    return gate.firstHeld(partition).isPresent()
        ? OptionalLong.of(0)
        : delegate.currentLag(partition);
  }

  @Override
  public void pause(Collection<TopicPartition> partitions) {
    delegate.pause(partitions);
    pausedByStreams.addAll(partitions);
  }

  @Override
  public void resume(Collection<TopicPartition> partitions) {
    Set<TopicPartition> resumed = new HashSet<>(partitions);
    resumed.removeAll(pausedHere);
    delegate.resume(resumed);
    pausedByStreams.removeAll(partitions);
  }

  @Override
  public Set<TopicPartition> paused() {
    Set<TopicPartition> paused = new HashSet<>(pausedByStreams);
    paused.retainAll(delegate.assignment());
    return Set.copyOf(paused);
  }

  @Override
  public void seek(TopicPartition partition, long offset) {
    delegate.seek(partition, offset);
    gate.restart(partition);
  }

  @Override
  public void seek(TopicPartition partition, OffsetAndMetadata offsetAndMetadata) {
    delegate.seek(partition, offsetAndMetadata);
    gate.restart(partition);
  }

  @Override
  public void seekToBeginning(Collection<TopicPartition> partitions) {
    delegate.seekToBeginning(partitions);
    restartAll(partitions);
  }

  @Override
  public void seekToEnd(Collection<TopicPartition> partitions) {
    delegate.seekToEnd(partitions);
    restartAll(partitions);
  }

  private void restartAll(Collection<TopicPartition> partitions) {
    // An empty collection means every assigned partition.
    for (TopicPartition partition : partitions.isEmpty() ? delegate.assignment() : partitions) {
      gate.restart(partition);
    }
  }

  @Override
  public void subscribe(Collection<String> topics) {
    delegate.subscribe(topics, paced(PacedRebalanceListener.NONE));
  }

  @Override
  public void subscribe(Collection<String> topics, ConsumerRebalanceListener callback) {
    delegate.subscribe(topics, paced(callback));
  }

  @Override
  public void subscribe(Pattern pattern, ConsumerRebalanceListener callback) {
    delegate.subscribe(pattern, paced(callback));
  }

  @Override
  public void subscribe(Pattern pattern) {
    delegate.subscribe(pattern, paced(PacedRebalanceListener.NONE));
  }

  @Override
  public void subscribe(SubscriptionPattern pattern, ConsumerRebalanceListener callback) {
    delegate.subscribe(pattern, paced(callback));
  }

  @Override
  public void subscribe(SubscriptionPattern pattern) {
    delegate.subscribe(pattern, paced(PacedRebalanceListener.NONE));
  }

  @Override
  public void assign(Collection<TopicPartition> partitions) {
    Set<TopicPartition> before = delegate.assignment();
    delegate.assign(partitions);
    Set<TopicPartition> removed = new HashSet<>(before);
    removed.removeAll(partitions);
    forget(removed);
    Set<TopicPartition> added = new HashSet<>(partitions);
    added.removeAll(before);
    gate.assign(this, added);
  }

  @Override
  public void unsubscribe() {
    try {
      delegate.unsubscribe();
    } finally {
      forgetAll();
    }
  }

  /** Wraps Kafka Streams' rebalance listener so that the gate follows the assignment. */
  private ConsumerRebalanceListener paced(ConsumerRebalanceListener listener) {
    return new PacedRebalanceListener(
        listener, partitions -> gate.assign(this, partitions), this::forget);
  }

  private void forget(Collection<TopicPartition> partitions) {
    gate.revoke(this, partitions);
    pausedByStreams.removeAll(partitions);
    pausedHere.removeAll(partitions);
  }

  private void forgetAll() {
    gate.revokeAll(this);
    pausedByStreams.clear();
    pausedHere.clear();
  }

  @Override
  public void commitSync() {
    commitSync(consumedOffsets());
  }

  @Override
  public void commitSync(Duration timeout) {
    commitSync(consumedOffsets(), timeout);
  }

  @Override
  public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
    delegate.commitSync(offsets);
    gate.committed(offsets);
  }

  @Override
  public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
    delegate.commitSync(offsets, timeout);
    gate.committed(offsets);
  }

  @Override
  public void commitAsync() {
    commitAsync(null);
  }

  @Override
  public void commitAsync(@Nullable OffsetCommitCallback callback) {
    commitAsync(consumedOffsets(), callback);
  }

  @Override
  public void commitAsync(
      Map<TopicPartition, OffsetAndMetadata> offsets, @Nullable OffsetCommitCallback callback) {
    delegate.commitAsync(
        offsets,
        (committed, error) -> {
          if (error == null) {
            gate.committed(committed);
          }
          if (callback != null) {
            callback.onComplete(committed, error);
          }
        });
  }

  /**
   * What the no-argument commits of the delegate would commit, with the partitions that hold
   * records at their first held record instead of past it.
   */
  private Map<TopicPartition, OffsetAndMetadata> consumedOffsets() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition partition : delegate.assignment()) {
      Optional<ConsumerRecord<byte[], byte[]>> held = gate.firstHeld(partition);
      if (held.isPresent()) {
        ConsumerRecord<byte[], byte[]> first = held.get();
        offsets.put(partition, new OffsetAndMetadata(first.offset(), first.leaderEpoch(), ""));
        continue;
      }
      try {
        offsets.put(partition, new OffsetAndMetadata(delegate.position(partition, Duration.ZERO)));
      } catch (TimeoutException noPositionYet) {
        // Like the delegate, which commits only the partitions that have a position.
      }
    }
    return offsets;
  }

  @Override
  public Set<TopicPartition> assignment() {
    return delegate.assignment();
  }

  @Override
  public Set<String> subscription() {
    return delegate.subscription();
  }

  @Override
  public void registerMetricForSubscription(KafkaMetric metric) {
    delegate.registerMetricForSubscription(metric);
  }

  @Override
  public void unregisterMetricFromSubscription(KafkaMetric metric) {
    delegate.unregisterMetricFromSubscription(metric);
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
    return delegate.committed(partitions);
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> committed(
      Set<TopicPartition> partitions, Duration timeout) {
    return delegate.committed(partitions, timeout);
  }

  @Override
  public Uuid clientInstanceId(Duration timeout) {
    return delegate.clientInstanceId(timeout);
  }

  @Override
  public Map<MetricName, ? extends Metric> metrics() {
    return delegate.metrics();
  }

  @Override
  public List<PartitionInfo> partitionsFor(String topic) {
    return delegate.partitionsFor(topic);
  }

  @Override
  public List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
    return delegate.partitionsFor(topic, timeout);
  }

  @Override
  public Map<String, List<PartitionInfo>> listTopics() {
    return delegate.listTopics();
  }

  @Override
  public Map<String, List<PartitionInfo>> listTopics(Duration timeout) {
    return delegate.listTopics(timeout);
  }

  @Override
  public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(
      Map<TopicPartition, Long> timestampsToSearch) {
    return delegate.offsetsForTimes(timestampsToSearch);
  }

  @Override
  public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(
      Map<TopicPartition, Long> timestampsToSearch, Duration timeout) {
    return delegate.offsetsForTimes(timestampsToSearch, timeout);
  }

  @Override
  public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
    return delegate.beginningOffsets(partitions);
  }

  @Override
  public Map<TopicPartition, Long> beginningOffsets(
      Collection<TopicPartition> partitions, Duration timeout) {
    return delegate.beginningOffsets(partitions, timeout);
  }

  @Override
  public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
    return delegate.endOffsets(partitions);
  }

  @Override
  public Map<TopicPartition, Long> endOffsets(
      Collection<TopicPartition> partitions, Duration timeout) {
    return delegate.endOffsets(partitions, timeout);
  }

  @Override
  public ConsumerGroupMetadata groupMetadata() {
    return delegate.groupMetadata();
  }

  @Override
  public void enforceRebalance() {
    delegate.enforceRebalance();
  }

  @Override
  public void enforceRebalance(String reason) {
    delegate.enforceRebalance(reason);
  }

  @Override
  public void close() {
    try {
      delegate.close();
    } finally {
      forgetAll();
    }
  }

  @Override
  @Deprecated
  @SuppressWarnings("deprecation") // Consumer still declares it; it is passed on as it is
  public void close(Duration timeout) {
    try {
      delegate.close(timeout);
    } finally {
      forgetAll();
    }
  }

  @Override
  public void close(CloseOptions option) {
    try {
      delegate.close(option);
    } finally {
      forgetAll();
    }
  }

  @Override
  public void wakeup() {
    delegate.wakeup();
  }
}
