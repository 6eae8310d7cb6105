package dev.kappa.reprocessing.replay.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * Decides when the records of the source partitions of a replay are passed on to Kafka Streams, so
 * that they reach it in about the order in which they were appended to the log, as they did live.
 *
 * <p>The rule: a record of a <em>replaying</em> partition is released when its log timestamp
 * ({@link ConsumerRecord#timestamp()}, create or append time; not the job's event-time extractor)
 * is at most {@code maxSkew} after the smallest <em>next timestamp</em> of the replaying partitions
 * assigned in this process. The next timestamp of a partition is the timestamp of its first held
 * record; for a partition that holds nothing, that of the last record it released (what follows it
 * in the log was appended after it); and it is unknown for a partition from which nothing has been
 * fetched since it was assigned or sought, which therefore holds back every other partition until
 * its first records arrive. Records of one partition are released in offset order and never
 * reordered: a record waits behind the held records of its partition.
 *
 * <p>A partition is replaying while its position is below its replay target, the end offset it had
 * when the version started. Once it reaches the target it is live: it no longer holds back the
 * others, but while another partition here still replays, its new records (appended after the
 * replay started) wait under the same rule, or they would run ahead of that partition's older
 * records. Once no partition here replays, nothing is held; once every partition has reached its
 * target, the gate is {@linkplain #isActive() inactive}. Partitions without a target (repartition
 * topics, changelogs, other topics) are never held, and partitions not assigned to this process do
 * not hold back the others.
 *
 * <pre>{@code
 * EventTimeGate gate = new EventTimeGate(Duration.ofSeconds(1), plan.targets());
 * RunningJob job = RunningJob.start(topology, config, new PacedClientSupplier(gate));
 * // ... report gate.heldNow(), gate.heldTotal() and gate.heldTime() while gate.isActive()
 * }</pre>
 *
 * <p>One gate is shared by the main consumers of all stream threads of one Kafka Streams instance
 * (see {@link PacedConsumer}), so that the bound holds across its threads; it does not coordinate
 * the instances of a version on other hosts. Thread-safe: every method synchronizes on the gate.
 */
public final class EventTimeGate {

  /** The next timestamp of a partition from which nothing has been fetched yet. */
  private static final long UNKNOWN = Long.MIN_VALUE;

  private final Duration maxSkew;
  private final long maxSkewMs;
  private final Map<TopicPartition, Long> targets;
  private final LongSupplier nanoTime;

  /**
   * The replaying partitions assigned in this process; a partition leaves once it reached its
   * target, which it only does holding nothing.
   */
  private final Map<TopicPartition, Partition> partitions = new HashMap<>();

  /** Partitions seen at their target, or with none to reach: live from then on. */
  private final Set<TopicPartition> reached = new HashSet<>();

  private int heldNow;
  private long heldTotal;
  private long heldNanos;
  private long holdingSince;

  /**
   * A gate that keeps the partitions of {@code replayTargets} within {@code maxSkew} of each other
   * until each reaches its target offset.
   *
   * @param maxSkew how far ahead of the slowest replaying partition, in log time, a record may be
   *     released; zero releases in timestamp order. Keep it well below the grace period of the
   *     job's windows
   * @param replayTargets the end offset of each source partition when the version started; a
   *     partition whose target is 0 has nothing to replay
   * @throws IllegalArgumentException if {@code maxSkew} or a target is negative
   */
  public EventTimeGate(Duration maxSkew, Map<TopicPartition, Long> replayTargets) {
    this(maxSkew, replayTargets, System::nanoTime);
  }

  EventTimeGate(Duration maxSkew, Map<TopicPartition, Long> replayTargets, LongSupplier nanoTime) {
    Objects.requireNonNull(maxSkew, "maxSkew");
    Objects.requireNonNull(replayTargets, "replayTargets");
    if (maxSkew.isNegative()) {
      throw new IllegalArgumentException("maxSkew must not be negative, was " + maxSkew);
    }
    replayTargets.forEach(
        (partition, target) -> {
          if (target < 0) {
            throw new IllegalArgumentException(
                "Replay target of " + partition + " must not be negative, was " + target);
          }
          if (target == 0) {
            reached.add(partition);
          }
        });
    this.maxSkew = maxSkew;
    this.maxSkewMs = maxSkew.toMillis();
    this.targets = Map.copyOf(replayTargets);
    this.nanoTime = nanoTime;
  }

  /** The bound on the log-time skew across the replaying partitions. */
  public Duration maxSkew() {
    return maxSkew;
  }

  /** The replay target of each source partition, as given. */
  public Map<TopicPartition, Long> replayTargets() {
    return targets;
  }

  /**
   * Whether the gate may still hold records back: some source partition has not been seen at its
   * target yet. A partition that is never assigned to this process keeps the gate active, although
   * nothing is held for it; {@link #replayingPartitions()} tells what is replaying here.
   */
  public synchronized boolean isActive() {
    return reached.size() < targets.size();
  }

  /** The source partitions assigned in this process that have not reached their target yet. */
  public synchronized Set<TopicPartition> replayingPartitions() {
    Set<TopicPartition> replaying = new HashSet<>(partitions.keySet());
    replaying.removeAll(reached);
    return Set.copyOf(replaying);
  }

  /**
   * The replaying partitions whose next timestamp is unknown because nothing has been fetched from
   * them since they were assigned or sought: while this is not empty, no record of a replaying
   * partition is released.
   */
  public synchronized Set<TopicPartition> waitingFor() {
    Set<TopicPartition> waiting = new HashSet<>();
    partitions.forEach(
        (partition, state) -> {
          if (state.nextTimestamp() == UNKNOWN && !reached.contains(partition)) {
            waiting.add(partition);
          }
        });
    return Set.copyOf(waiting);
  }

  /** The records held back now. */
  public synchronized int heldNow() {
    return heldNow;
  }

  /**
   * The records held back so far: each record that was not passed on by the poll that fetched it
   * counts once.
   */
  public synchronized long heldTotal() {
    return heldTotal;
  }

  /** For how long, so far, at least one record was held back. */
  public synchronized Duration heldTime() {
    long total = heldNanos;
    if (heldNow > 0) {
      total += nanoTime.getAsLong() - holdingSince;
    }
    return Duration.ofNanos(total);
  }

  @Override
  public synchronized String toString() {
    return "EventTimeGate[maxSkew="
        + maxSkew
        + ", replaying="
        + replayingPartitions()
        + ", held="
        + heldNow
        + ", reached "
        + reached.size()
        + " of "
        + targets.size()
        + " partitions]";
  }

  /**
   * Whether records of {@code partition} go through the gate: it is replaying; or it has reached
   * its target while another partition here still replays, so its new records must not run ahead of
   * that one's; or records are still held for it, which its new records must follow.
   */
  synchronized boolean paces(TopicPartition partition) {
    if (!targets.containsKey(partition)) {
      return false;
    }
    if (!reached.contains(partition)) {
      return true;
    }
    Partition state = partitions.get(partition);
    return (state != null && !state.held.isEmpty()) || replayingHere();
  }

  /** Whether a partition assigned here has not reached its target. */
  private boolean replayingHere() {
    for (Partition state : partitions.values()) {
      if (!reached.contains(state.partition)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Once no partition here replays, forgets the partitions that hold nothing: they are live and no
   * longer paced. Those that still hold records stay until they are released.
   */
  private void forgetLiveOnesIfDone() {
    if (!replayingHere()) {
      partitions.values().removeIf(state -> state.held.isEmpty());
    }
  }

  /**
   * Registers the replaying partitions among {@code assignedPartitions} as assigned to {@code
   * owner}, with nothing fetched yet. A partition another owner still had is taken over, and what
   * that owner held for it is dropped.
   */
  synchronized void assign(Object owner, Collection<TopicPartition> assignedPartitions) {
    for (TopicPartition partition : assignedPartitions) {
      if (targets.containsKey(partition)) {
        Partition previous = partitions.put(partition, new Partition(partition, owner));
        if (previous != null) {
          drop(previous);
        }
      }
    }
    forgetLiveOnesIfDone();
  }

  /** Forgets {@code revokedPartitions} of {@code owner} and drops what was held for them. */
  synchronized void revoke(Object owner, Collection<TopicPartition> revokedPartitions) {
    for (TopicPartition partition : revokedPartitions) {
      Partition state = partitions.get(partition);
      if (state != null && state.owner == owner) {
        drop(state);
        partitions.remove(partition);
      }
    }
  }

  /** Forgets every partition of {@code owner}, as when its consumer closes. */
  synchronized void revokeAll(Object owner) {
    revoke(owner, owned(owner).stream().map(state -> state.partition).toList());
  }

  /**
   * Drops what is held for {@code partition} because its consumer was sought elsewhere: its next
   * record will be fetched again, and until it is, the partition's next timestamp is unknown.
   */
  synchronized void restart(TopicPartition partition) {
    Partition state = partitions.get(partition);
    if (state != null) {
      drop(state);
      state.lastReleasedTimestamp = UNKNOWN;
      state.consumerNext = null;
    }
  }

  /**
   * Takes what one poll of {@code owner}'s consumer fetched for {@code partition}, if the gate
   * paces it: its records in offset order (possibly none), and the consumer's next offset after
   * them, which is past the last record when control records follow it.
   *
   * @return false, having taken nothing, if the gate does not pace {@code partition}: its records
   *     and next offset are to be passed on unchanged
   */
  synchronized boolean hold(
      Object owner,
      TopicPartition partition,
      List<ConsumerRecord<byte[], byte[]>> records,
      @Nullable OffsetAndMetadata next) {
    if (!paces(partition)) {
      return false;
    }
    Partition state = partitions.get(partition);
    if (state == null) {
      // Assigned without a rebalance listener, by Consumer#assign: it is registered on first use.
      state = new Partition(partition, owner);
      partitions.put(partition, state);
    }
    state.held.addAll(records);
    state.fetchedSinceRelease += records.size();
    addHeld(records.size());
    if (next != null) {
      state.consumerNext = next;
      state.nextUnreported = true;
    }
    return true;
  }

  /**
   * Notes the consumer position of a partition from which nothing has been fetched yet: one that
   * starts at or after its target (an empty partition, or one whose records before the target were
   * all deleted or are control records) reaches it without a record.
   */
  synchronized void positionKnown(TopicPartition partition, long position) {
    Partition state = partitions.get(partition);
    if (state != null && state.held.isEmpty() && position >= targets.get(partition)) {
      reached.add(partition);
      forgetLiveOnesIfDone();
    }
  }

  /** The replaying partitions of {@code owner} from which nothing has been fetched yet. */
  synchronized Set<TopicPartition> unfetched(Object owner) {
    Set<TopicPartition> unfetched = new HashSet<>();
    for (Partition state : owned(owner)) {
      if (state.nextTimestamp() == UNKNOWN && !reached.contains(state.partition)) {
        unfetched.add(state.partition);
      }
    }
    return unfetched;
  }

  /** The number of records held for each partition of {@code owner} that holds any. */
  synchronized Map<TopicPartition, Integer> heldRecords(Object owner) {
    Map<TopicPartition, Integer> held = new HashMap<>();
    for (Partition state : owned(owner)) {
      if (!state.held.isEmpty()) {
        held.put(state.partition, state.held.size());
      }
    }
    return held;
  }

  /** The first record held for {@code partition}: where its consumer really is. */
  synchronized Optional<ConsumerRecord<byte[], byte[]>> firstHeld(TopicPartition partition) {
    Partition state = partitions.get(partition);
    return state == null ? Optional.empty() : Optional.ofNullable(state.held.peekFirst());
  }

  /**
   * Whether {@link #release} would pass on a record of {@code owner} now, so that its consumer need
   * not wait for new records first.
   */
  synchronized boolean canRelease(Object owner, Set<TopicPartition> paused) {
    Candidates candidates = candidates(owner, paused);
    boolean replaying = replayingHere();
    for (Partition state : candidates.releasable) {
      ConsumerRecord<byte[], byte[]> head = state.held.getFirst();
      boolean live =
          reached.contains(state.partition) || head.offset() >= targets.get(state.partition);
      if ((live && !replaying) || withinBound(head.timestamp(), candidates.others)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Releases the held records of {@code owner} that the rule allows, oldest log timestamp first, up
   * to about {@code maxRecords}. Records of {@code paused} partitions stay held, since Kafka
   * Streams has no task ready to take them.
   *
   * @return the released records by partition, in offset order, and for each partition whose
   *     position moved, the offset to commit once these records are processed
   */
  synchronized Released release(Object owner, Set<TopicPartition> paused, int maxRecords) {
    List<Partition> owned = owned(owner);
    Candidates candidates = candidates(owner, paused);
    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> released = new HashMap<>();
    int count = 0;
    PriorityQueue<Partition> byHead =
        new PriorityQueue<>(Comparator.comparingLong(state -> state.held.getFirst().timestamp()));
    byHead.addAll(candidates.releasable);
    long others = candidates.others;
    // Asked again only when a partition reaches its target, not for every record.
    boolean replaying = replayingHere();
    while (count < maxRecords && !byHead.isEmpty()) {
      Partition state = byHead.poll();
      ConsumerRecord<byte[], byte[]> head = state.held.getFirst();
      long target = targets.get(state.partition);
      if (head.offset() >= target) {
        // Control records filled the rest of its log up to the target: it is live now.
        reached.add(state.partition);
        replaying = replayingHere();
      }
      boolean live = reached.contains(state.partition);
      // A live partition's records were appended after the replay started: while another
      // partition here still replays, they wait like any other, or they would run ahead of it.
      // The smallest next timestamp is the smaller of the others' and this head's.
      if (!(live && !replaying) && !withinBound(head.timestamp(), others)) {
        // The oldest head of this owner is too far ahead of another partition: so is every head.
        break;
      }
      releaseOne(state, released);
      count++;
      if (!live && head.offset() + 1 >= target) {
        reached.add(state.partition);
        live = true;
        replaying = replayingHere();
      }
      if (!state.held.isEmpty()) {
        byHead.add(state);
      } else if (!live) {
        others = Math.min(others, state.lastReleasedTimestamp);
      }
    }
    Map<TopicPartition, OffsetAndMetadata> nextOffsets = new HashMap<>();
    for (Partition state : owned) {
      settle(state, paused, released.get(state.partition), nextOffsets);
    }
    forgetLiveOnesIfDone();
    return new Released(released, nextOffsets);
  }

  /**
   * After a release: the offset to report for {@code state}, the count of records held back, and
   * whether it reached its target, which takes it out of the gate.
   */
  private void settle(
      Partition state,
      Set<TopicPartition> paused,
      @Nullable List<ConsumerRecord<byte[], byte[]>> released,
      Map<TopicPartition, OffsetAndMetadata> nextOffsets) {
    heldTotal += Math.min(state.fetchedSinceRelease, state.held.size());
    state.fetchedSinceRelease = 0;
    TopicPartition partition = state.partition;
    if (!paused.contains(partition) && (released != null || state.nextUnreported)) {
      // The consumer's own next offset runs past held records, so it only counts once nothing is
      // held; then it also covers control records after the last record.
      if (state.held.isEmpty() && state.consumerNext != null) {
        nextOffsets.put(partition, state.consumerNext);
        state.nextUnreported = false;
      } else if (released != null) {
        ConsumerRecord<byte[], byte[]> last = released.get(released.size() - 1);
        nextOffsets.put(
            partition, new OffsetAndMetadata(last.offset() + 1, last.leaderEpoch(), ""));
      }
    }
    if (state.held.isEmpty()
        && state.consumerNext != null
        && state.consumerNext.offset() >= targets.get(partition)) {
      reached.add(partition);
    }
  }

  private Candidates candidates(Object owner, Set<TopicPartition> paused) {
    List<Partition> releasable = new ArrayList<>();
    long others = Long.MAX_VALUE;
    for (Partition state : partitions.values()) {
      if (state.owner == owner && !paused.contains(state.partition) && !state.held.isEmpty()) {
        releasable.add(state);
      } else if (!reached.contains(state.partition) || !state.held.isEmpty()) {
        // A live partition that holds nothing has no record older than the replay's.
        others = Math.min(others, state.nextTimestamp());
      }
    }
    return new Candidates(releasable, others);
  }

  /**
   * Whether a record at {@code timestamp}, the oldest held one of its owner, is within the skew of
   * the smallest next timestamp, {@code others} being that of the partitions its owner cannot move.
   */
  private boolean withinBound(long timestamp, long others) {
    if (others == UNKNOWN) {
      return false;
    }
    return timestamp <= others || timestamp - others <= maxSkewMs;
  }

  private List<Partition> owned(Object owner) {
    List<Partition> owned = new ArrayList<>();
    for (Partition state : partitions.values()) {
      if (state.owner == owner) {
        owned.add(state);
      }
    }
    return owned;
  }

  private void releaseOne(
      Partition state, Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> released) {
    ConsumerRecord<byte[], byte[]> record = state.held.removeFirst();
    released.computeIfAbsent(state.partition, partition -> new ArrayList<>()).add(record);
    state.lastReleasedTimestamp = record.timestamp();
    addHeld(-1);
  }

  private void drop(Partition state) {
    addHeld(-state.held.size());
    state.held.clear();
    state.fetchedSinceRelease = 0;
    state.nextUnreported = false;
  }

  private void addHeld(int delta) {
    int before = heldNow;
    heldNow += delta;
    if (before == 0 && heldNow > 0) {
      holdingSince = nanoTime.getAsLong();
    } else if (before > 0 && heldNow == 0) {
      heldNanos += nanoTime.getAsLong() - holdingSince;
    }
  }

  /**
   * What {@link #release} passes on: records by partition, in offset order, and the offsets that
   * Kafka Streams may commit once it has processed them.
   */
  record Released(
      Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> records,
      Map<TopicPartition, OffsetAndMetadata> nextOffsets) {}

  /**
   * The partitions with records that one owner may release now, and the smallest next timestamp of
   * every other replaying partition (its other partitions included).
   */
  private record Candidates(List<Partition> releasable, long others) {}

  /** A source partition assigned here, with the records held for it. */
  private static final class Partition {
    final TopicPartition partition;
    final Object owner;
    final ArrayDeque<ConsumerRecord<byte[], byte[]>> held = new ArrayDeque<>();
    long lastReleasedTimestamp = UNKNOWN;

    /** The consumer's own next offset after the last records it fetched. */
    @Nullable OffsetAndMetadata consumerNext;

    boolean nextUnreported;
    int fetchedSinceRelease;

    Partition(TopicPartition partition, Object owner) {
      this.partition = partition;
      this.owner = owner;
    }

    long nextTimestamp() {
      ConsumerRecord<byte[], byte[]> head = held.peekFirst();
      return head == null ? lastReleasedTimestamp : head.timestamp();
    }
  }
}
