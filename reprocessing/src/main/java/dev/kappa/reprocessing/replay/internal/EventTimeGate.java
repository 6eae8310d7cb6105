package dev.kappa.reprocessing.replay.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * Decides when the records of the source partitions of one Kafka Streams instance of a version are
 * passed on to Kafka Streams, so that every instance of the version processes its sources within
 * {@code maxSkew} of one event-time low watermark (see {@link Watermark}): the smallest frontier of
 * every source partition of the version that is not at its end, on this instance and on the others,
 * whose frontiers come from a {@link PositionBoard}.
 *
 * <p>The gate <em>aligns</em> while the version is behind: while some source partition, here or
 * elsewhere, lags by more than {@code lagThreshold} records, or its position is not known, and
 * until none has for a second. Then it reads the event time of every fetched record ({@link
 * RecordTimes}) and holds each record until its time is at most {@code maxSkew} after the low
 * watermark; records of one partition pass in offset order. Once every partition has caught up and
 * nothing is held, alignment is off: records pass as they are fetched and no time is read, and the
 * gate only notes the commits. It aligns again as soon as a partition here lags (checked on every
 * poll), a partition elsewhere lags or is unknown (checked against the board; offsets the cluster
 * has not confirmed for a while count as unknown, see {@link CheckedOffsets}), or a commit here
 * finds its partition's frontier more than half the skew ahead of the low watermark (an instance
 * stopped, and its partitions stand still).
 *
 * <p>The frontier of a partition run here is the event time of its first record not committed yet:
 * of the records released and not yet committed, else of those held, else of the last one
 * committed. It is published whenever it, or the committed offset, changes, so that every other
 * instance holds back behind a partition here until its records are committed, not only passed on:
 * under exactly-once a crash makes the version process uncommitted records again, after what the
 * others sent on meanwhile.
 *
 * <p>A source partition whose task also reads a repartition topic (a <em>co-input</em>, such as the
 * other side of a join) is bounded by that too: its records pass only within {@code maxSkew} of
 * what the co-input partition may still bring (see {@link CoInputPartition}). Whether the co-input
 * is fetched to its end is asked of the cluster by its consumer ({@link #coInputsToCheck}, {@link
 * #coInputsDrained}), since a consumer's own idea of its lag is only as fresh as its last fetch.
 *
 * <pre>{@code
 * EventTimeGate gate = new EventTimeGate(RecordTimes.of(topology), board, Duration.ofSeconds(15), 1_000);
 * RunningJob job = RunningJob.start(topology, config, new PacedClientSupplier(gate));
 * }</pre>
 *
 * <p>One gate is shared by the main consumers of all stream threads of one Kafka Streams instance
 * (see {@link PacedConsumer}), and by its producers, which report the commits (see {@link
 * PacedClientSupplier}). Thread-safe: every method synchronizes on the gate; publishing to the
 * board never blocks.
 */
public final class EventTimeGate {

  private final RecordTimes times;
  private final PositionBoard board;
  private final Duration maxSkew;
  private final long maxSkewMs;
  private final long lagThreshold;
  private final LongSupplier nanoTime;

  /** The source partitions assigned to a consumer of this instance. */
  private final Map<TopicPartition, SourcePartition> partitions = new HashMap<>();

  /** The co-input partitions assigned to a consumer of this instance. */
  private final CoInputs coInputs;

  private Watermark.Low watermark = new Watermark.Low(Watermark.UNKNOWN, null, Watermark.UNKNOWN);
  private final HoldTally tally;
  private final AlignmentSwitch alignment;
  private long maxDisorderMs;

  /**
   * A gate that aligns the partitions of {@code board}'s version within {@code maxSkew}.
   *
   * @param times reads the event time of source records
   * @param board where the other instances' frontiers are read and this one's published
   * @param maxSkew how far ahead of the low watermark, in event time, a record may be released;
   *     keep it at most the smallest grace of the job's windows and joins less the disorder of a
   *     source partition
   * @param lagThreshold how many records a partition may lag by and still count as caught up
   * @throws IllegalArgumentException if {@code maxSkew} or {@code lagThreshold} is negative
   */
  public EventTimeGate(
      RecordTimes times, PositionBoard board, Duration maxSkew, long lagThreshold) {
    this(times, board, maxSkew, lagThreshold, System::nanoTime);
  }

  EventTimeGate(
      RecordTimes times,
      PositionBoard board,
      Duration maxSkew,
      long lagThreshold,
      LongSupplier nanoTime) {
    this.times = Objects.requireNonNull(times, "times");
    this.coInputs = new CoInputs(times);
    this.tally = new HoldTally(nanoTime);
    this.alignment = new AlignmentSwitch(nanoTime);
    this.board = Objects.requireNonNull(board, "board");
    Objects.requireNonNull(maxSkew, "maxSkew");
    if (maxSkew.isNegative()) {
      throw new IllegalArgumentException("maxSkew must not be negative, was " + maxSkew);
    }
    if (lagThreshold < 0) {
      throw new IllegalArgumentException(
          "lagThreshold must be 0 or more records, was " + lagThreshold);
    }
    this.maxSkew = maxSkew;
    this.maxSkewMs = maxSkew.toMillis();
    this.lagThreshold = lagThreshold;
    this.nanoTime = nanoTime;
  }

  /** The bound on the event-time skew across the source partitions of the version. */
  public Duration maxSkew() {
    return maxSkew;
  }

  /** Whether the gate aligns now: it reads event times and may hold records. */
  public synchronized boolean aligning() {
    return alignment.on();
  }

  /**
   * The low watermark when records were last held against it, if one was known and some partition
   * held it.
   */
  public synchronized OptionalLong watermark() {
    long value = watermark.value();
    return value == Watermark.UNKNOWN || value == Watermark.NONE
        ? OptionalLong.empty()
        : OptionalLong.of(value);
  }

  /** How many times alignment was turned on after it had been off. */
  public synchronized long realignments() {
    return alignment.turnedOnAgain();
  }

  /** The records held back now. */
  public synchronized int heldNow() {
    return tally.now();
  }

  /**
   * The records held back so far: each record that was not passed on by the poll that fetched it
   * counts once.
   */
  public synchronized long heldTotal() {
    return tally.total();
  }

  /** For how long, so far, at least one record was held back. */
  public synchronized Duration heldTime() {
    return tally.time();
  }

  /**
   * The largest disorder seen inside one source partition while aligning: how far the event time of
   * a record was behind the latest one fetched before it from the same partition. The windows are
   * exact if it stays at most the smallest grace less {@link #maxSkew()}.
   */
  public synchronized Duration observedDisorder() {
    return Duration.ofMillis(maxDisorderMs);
  }

  @Override
  public synchronized String toString() {
    return "EventTimeGate[maxSkew="
        + maxSkew
        + (alignment.on() ? ", aligning" : ", not aligning")
        + ", watermark="
        + watermark.value()
        + ", held="
        + tally.now()
        + ", partitions here "
        + partitions.keySet()
        + "]";
  }

  /**
   * Registers the source partitions among {@code assignedPartitions} as assigned to {@code owner},
   * with nothing fetched yet. A partition another owner still had is taken over, and what that
   * owner held for it is dropped.
   */
  synchronized void assign(Object owner, Collection<TopicPartition> assignedPartitions) {
    for (TopicPartition partition : assignedPartitions) {
      if (times.isSource(partition.topic())) {
        SourcePartition previous = partitions.put(partition, new SourcePartition(partition, owner));
        if (previous != null) {
          drop(previous);
        }
      } else {
        coInputs.assign(owner, partition);
      }
    }
  }

  /** Forgets {@code revokedPartitions} of {@code owner} and drops what was held for them. */
  synchronized void revoke(Object owner, Collection<TopicPartition> revokedPartitions) {
    for (TopicPartition partition : revokedPartitions) {
      SourcePartition state = partitions.get(partition);
      if (state != null && state.owner == owner) {
        drop(state);
        partitions.remove(partition);
      }
      coInputs.revoke(owner, partition);
    }
  }

  /** Forgets every partition of {@code owner}, as when its consumer closes. */
  synchronized void revokeAll(Object owner) {
    List<TopicPartition> all = coInputs.of(owner);
    owned(owner).forEach(state -> all.add(state.partition));
    revoke(owner, all);
  }

  /**
   * Drops what is held and in flight for {@code partition} because its consumer was sought
   * elsewhere: its records will be fetched again from there.
   */
  synchronized void restart(TopicPartition partition) {
    SourcePartition state = partitions.get(partition);
    if (state != null) {
      drop(state);
      state.restart();
    }
    coInputs.restart(partition);
  }

  /**
   * Notes how many records each partition of {@code owner} lags by after a poll of its consumer.
   */
  synchronized void lags(Object owner, Map<TopicPartition, Long> lags) {
    lags.forEach(
        (partition, lag) -> {
          SourcePartition state = partitions.get(partition);
          if (state != null && state.owner == owner) {
            state.lag = lag;
            if (!alignment.on() && state.behindBy() > lagThreshold) {
              alignment.turnOn(partition + " lags by " + state.behindBy() + " records");
            }
          }
        });
  }

  /**
   * Takes what one poll of {@code owner}'s consumer fetched for {@code partition}, if the gate
   * holds it: its records in offset order (possibly none), and the consumer's next offset after
   * them, which is past the last record when control records follow it.
   *
   * @return false, having taken nothing, if the records and next offset are to be passed on as they
   *     are: {@code partition} is not a source (a co-input's records are only noted), or the gate
   *     does not align
   */
  synchronized boolean hold(
      Object owner,
      TopicPartition partition,
      List<ConsumerRecord<byte[], byte[]>> records,
      @Nullable OffsetAndMetadata next) {
    if (coInputs.passed(owner, partition, records) || !times.isSource(partition.topic())) {
      return false;
    }
    SourcePartition state = partitions.get(partition);
    if (state == null) {
      // Assigned without a rebalance listener, by Consumer#assign: it is registered on first use.
      state = new SourcePartition(partition, owner);
      partitions.put(partition, state);
    }
    if (!alignment.on() && state.held.isEmpty()) {
      for (ConsumerRecord<byte[], byte[]> record : records) {
        state.inFlight.addLast(new SourcePartition.Held(record, SourcePartition.NOT_READ));
      }
      state.publishIfMoved(times, board);
      return false;
    }
    for (ConsumerRecord<byte[], byte[]> record : records) {
      long time = times.of(record);
      if (time != RecordTimes.NO_TIME) {
        if (state.maxTime != RecordTimes.NO_TIME && time < state.maxTime) {
          maxDisorderMs = Math.max(maxDisorderMs, state.maxTime - time);
        }
        state.maxTime = Math.max(state.maxTime, time);
      }
      state.held.addLast(new SourcePartition.Held(record, time));
    }
    state.fetchedSinceRelease += records.size();
    tally.add(records.size());
    if (next != null) {
      state.consumerNext = next;
      state.nextUnreported = true;
    }
    state.publishIfMoved(times, board);
    return true;
  }

  /**
   * Why {@code partition} must align, if it must: its frontier {@code time} is more than half the
   * skew after the low watermark of the other partitions, as when another instance is away.
   */
  private Optional<String> ahead(
      TopicPartition partition, long time, Watermark.Low low, String what) {
    long others = low.excluding(partition);
    if (Watermark.releases(time, Watermark.limit(others, maxSkewMs / 2))) {
      return Optional.empty();
    }
    return Optional.of(
        partition
            + " "
            + what
            + " "
            + Instant.ofEpochMilli(time)
            + ", more than half the skew after the other partitions' low watermark "
            + (others == Watermark.UNKNOWN ? "(unknown)" : Instant.ofEpochMilli(others)));
  }

  /**
   * Notes that the offsets {@code committed} were committed (by a transaction under exactly-once,
   * by the consumer otherwise): the records before them can no longer be processed again, so the
   * frontier of their partitions moves on and is published.
   */
  synchronized void committed(Map<TopicPartition, OffsetAndMetadata> committed) {
    List<SourcePartition> moved = new ArrayList<>();
    committed.forEach(
        (partition, offset) -> {
          if (offset != null) {
            coInputs.committed(partition, offset.offset());
          }
          SourcePartition state = partitions.get(partition);
          if (state == null || offset == null) {
            return;
          }
          state.committed(offset.offset());
          state.publishIfMoved(times, board);
          moved.add(state);
        });
    if (!alignment.on() && !moved.isEmpty()) {
      Watermark.Low low = computeWatermark();
      for (SourcePartition state : moved) {
        Optional<String> ahead =
            ahead(
                state.partition,
                state.frontier(times, board),
                low,
                "is committed up to event time");
        if (ahead.isPresent()) {
          alignment.turnOn(ahead.get());
          return;
        }
      }
    }
  }

  /** The source partitions of {@code owner}. */
  synchronized Set<TopicPartition> partitionsOf(Object owner) {
    Set<TopicPartition> owned = new HashSet<>();
    for (SourcePartition state : owned(owner)) {
      owned.add(state.partition);
    }
    return owned;
  }

  /** The number of records held for each partition of {@code owner} that holds any. */
  synchronized Map<TopicPartition, Integer> heldRecords(Object owner) {
    Map<TopicPartition, Integer> held = new HashMap<>();
    for (SourcePartition state : owned(owner)) {
      if (!state.held.isEmpty()) {
        held.put(state.partition, state.held.size());
      }
    }
    return held;
  }

  /** The first record held for {@code partition}: where its consumer really is. */
  synchronized Optional<ConsumerRecord<byte[], byte[]>> firstHeld(TopicPartition partition) {
    SourcePartition state = partitions.get(partition);
    return state == null || state.held.isEmpty()
        ? Optional.empty()
        : Optional.of(state.held.peekFirst().record);
  }

  /**
   * Whether {@link #release} would pass on a record of {@code owner} now, so that its consumer need
   * not wait for new records first.
   */
  synchronized boolean canRelease(Object owner, Set<TopicPartition> paused) {
    alignment.check(this::behind, tally.now() == 0);
    // The watermark is read only when something is held: never while alignment is off.
    Watermark.Low low = null;
    for (SourcePartition state : owned(owner)) {
      if (paused.contains(state.partition) || state.held.isEmpty()) {
        continue;
      }
      if (!alignment.on()) {
        return true;
      }
      if (low == null) {
        low = computeWatermark();
      }
      if (releases(state, low)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the first held record of {@code state} may pass under {@code low} and the bounds of its
   * co-inputs.
   */
  private boolean releases(SourcePartition state, Watermark.Low low) {
    long limit = Watermark.limit(low.excluding(state.partition), maxSkewMs);
    limit = coInputs.limit(state, limit, maxSkewMs);
    return Watermark.releases(state.held.peekFirst().time(), limit);
  }

  /**
   * The co-input partitions of {@code owner} that hold back a record the low watermark would
   * release, and could stop doing so if found fetched to their end now; with the low watermark
   * before looking, to pass to {@link #coInputsDrained}.
   */
  synchronized Optional<CoInputs.Check> coInputsToCheck(Object owner, Set<TopicPartition> paused) {
    if (!alignment.on() || coInputs.isEmpty()) {
      return Optional.empty();
    }
    List<SourcePartition> waiting = new ArrayList<>();
    for (SourcePartition state : owned(owner)) {
      if (!paused.contains(state.partition) && !state.held.isEmpty()) {
        waiting.add(state);
      }
    }
    return waiting.isEmpty()
        ? Optional.empty()
        : coInputs.toCheck(waiting, computeWatermark(), maxSkewMs);
  }

  /**
   * Notes that the co-input partitions {@code drained} of {@code owner} were fetched to their end
   * when asked after the low watermark was {@code watermark}: every record committed to them before
   * came from source records before it, and is passed on.
   */
  synchronized void coInputsDrained(Object owner, long watermark, Set<TopicPartition> drained) {
    coInputs.drained(owner, watermark, drained);
  }

  /**
   * Releases the held records of {@code owner} that the watermark allows, oldest event time first,
   * up to {@code maxRecords}. Records of {@code paused} partitions stay held, since Kafka Streams
   * has no task ready to take them.
   *
   * @return the released records by partition, in offset order, and for each partition whose
   *     position moved, the offset to commit once these records are processed
   */
  synchronized Released release(Object owner, Set<TopicPartition> paused, int maxRecords) {
    alignment.check(this::behind, tally.now() == 0);
    List<SourcePartition> owned = owned(owner);
    PriorityQueue<SourcePartition> byHead =
        new PriorityQueue<>(Comparator.comparingLong(state -> state.held.peekFirst().time()));
    for (SourcePartition state : owned) {
      if (!paused.contains(state.partition) && !state.held.isEmpty()) {
        byHead.add(state);
      }
    }
    // Only what is held waits for the watermark: read it only then.
    Watermark.Low low = alignment.on() && !byHead.isEmpty() ? computeWatermark() : null;
    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> released = new HashMap<>();
    int count = 0;
    while (count < maxRecords && !byHead.isEmpty()) {
      SourcePartition state = byHead.poll();
      if (low != null && !releases(state, low)) {
        // Too far ahead of the other partitions; another partition's head may still pass.
        continue;
      }
      SourcePartition.Held head = state.held.removeFirst();
      state.inFlight.addLast(head);
      released.computeIfAbsent(state.partition, partition -> new ArrayList<>()).add(head.record);
      tally.add(-1);
      count++;
      if (!state.held.isEmpty()) {
        byHead.add(state);
      }
    }
    Map<TopicPartition, OffsetAndMetadata> nextOffsets = new HashMap<>();
    for (SourcePartition state : owned) {
      settle(state, paused, released.get(state.partition), nextOffsets);
    }
    return new Released(released, nextOffsets);
  }

  /** After a release: the offset to report for {@code state} and the count of records held back. */
  private void settle(
      SourcePartition state,
      Set<TopicPartition> paused,
      @Nullable List<ConsumerRecord<byte[], byte[]>> released,
      Map<TopicPartition, OffsetAndMetadata> nextOffsets) {
    tally.count(Math.min(state.fetchedSinceRelease, state.held.size()));
    state.fetchedSinceRelease = 0;
    if (!paused.contains(state.partition) && (released != null || state.nextUnreported)) {
      // The consumer's own next offset runs past held records, so it only counts once nothing is
      // held; then it also covers control records after the last record.
      if (state.held.isEmpty() && state.consumerNext != null) {
        nextOffsets.put(state.partition, state.consumerNext);
        state.nextUnreported = false;
      } else if (released != null) {
        ConsumerRecord<byte[], byte[]> last = released.get(released.size() - 1);
        nextOffsets.put(
            state.partition, new OffsetAndMetadata(last.offset() + 1, last.leaderEpoch(), ""));
      }
    }
  }

  /** Why the version is behind, if it is: a partition that lags or whose position is unknown. */
  private Optional<String> behind() {
    return VersionPositions.behind(partitions, board, lagThreshold);
  }

  /** The low watermark of the version now, from this instance's partitions and the board. */
  private Watermark.Low computeWatermark() {
    watermark = VersionPositions.low(partitions, board, times);
    return watermark;
  }

  private List<SourcePartition> owned(Object owner) {
    List<SourcePartition> owned = new ArrayList<>();
    for (SourcePartition state : partitions.values()) {
      if (state.owner == owner) {
        owned.add(state);
      }
    }
    return owned;
  }

  private void drop(SourcePartition state) {
    tally.add(-state.held.size());
    state.held.clear();
    state.fetchedSinceRelease = 0;
    state.nextUnreported = false;
  }

  /**
   * What {@link #release} passes on: records by partition, in offset order, and the offsets that
   * Kafka Streams may commit once it has processed them.
   */
  record Released(
      Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> records,
      Map<TopicPartition, OffsetAndMetadata> nextOffsets) {}
}
