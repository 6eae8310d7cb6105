package dev.kappa.reprocessing.replay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * The release rule of the gate, driven as a consumer drives it: records fetched per partition, then
 * released. Log timestamps are in seconds here ({@link #at}), offsets start at 0.
 */
class EventTimeGateTest {

  private static final TopicPartition A = new TopicPartition("readings", 0);
  private static final TopicPartition B = new TopicPartition("readings", 1);
  private static final TopicPartition C = new TopicPartition("readings", 2);
  private static final TopicPartition REPARTITION =
      new TopicPartition("job-by-node-repartition", 0);
  private static final long FAR = 1_000_000;
  private static final Object THREAD_1 = new Object();
  private static final Object THREAD_2 = new Object();

  private final AtomicLong nanos = new AtomicLong();

  @Test
  void shouldReleaseRecordsOfAllPartitionsInLogTimeOrder() {
    EventTimeGate gate = gate(Duration.ZERO, Map.of(A, FAR, B, FAR));
    gate.assign(THREAD_1, List.of(A, B));
    fetch(gate, A, 0, 1, 2, 3);
    fetch(gate, B, 0, 1.5, 2.5);

    // One record per release shows the order: B's next record is unknown once B is drained, so its
    // last released time (2.5 s) bounds A.
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      gate.release(THREAD_1, Set.of(), 1)
          .records()
          .forEach((partition, records) -> order.add(describe(records.get(0))));
    }

    assertThat(order).containsExactly("A@1.0", "B@1.5", "A@2.0", "B@2.5");
    assertThat(gate.heldNow()).isEqualTo(1);
    assertThat(gate.firstHeld(A)).map(ConsumerRecord::offset).contains(2L);
    fetch(gate, B, 2, 3.5);
    assertThat(timesOf(gate.release(THREAD_1, Set.of(), 100), A)).containsExactly(3.0);
  }

  @Test
  void shouldHoldRecordsMoreThanTheSkewAheadOfTheSlowestPartition() {
    EventTimeGate gate = gate(Duration.ofSeconds(2), Map.of(A, FAR, B, FAR));
    gate.assign(THREAD_1, List.of(A, B));
    fetch(gate, A, 0, 0, 5);
    fetch(gate, B, 0, 1, 9);

    EventTimeGate.Released released = gate.release(THREAD_1, Set.of(), 100);

    // A@5 passes once B has moved to 9 and A's own 5 is the smallest next time; B@9 is more than
    // 2 s after A's last released record (5 s), whose successor is not known yet.
    assertThat(timesOf(released, A)).containsExactly(0.0, 5.0);
    assertThat(timesOf(released, B)).containsExactly(1.0);
    assertThat(gate.heldNow()).isEqualTo(1);
    assertThat(gate.firstHeld(B)).map(EventTimeGateTest::seconds).contains(9.0);
    assertThat(gate.canRelease(THREAD_1, Set.of())).isFalse();
    fetch(gate, A, 2, 7);
    assertThat(gate.canRelease(THREAD_1, Set.of())).isTrue();
    assertThat(timesOf(gate.release(THREAD_1, Set.of(), 100), B)).containsExactly(9.0);
  }

  @Test
  void shouldKeepTheOffsetOrderOfAPartitionWhateverTheTimestamps() {
    EventTimeGate gate = gate(Duration.ZERO, Map.of(A, FAR, B, FAR));
    gate.assign(THREAD_1, List.of(A, B));
    // A's second record is older than its first and than B's: it still waits behind A@5.
    fetch(gate, A, 0, 5, 0.5);
    fetch(gate, B, 0, 1, 6);

    EventTimeGate.Released first = gate.release(THREAD_1, Set.of(), 100);
    assertThat(timesOf(first, A)).containsExactly(5.0, 0.5);
    assertThat(offsetsOf(first, A)).containsExactly(0L, 1L);
    assertThat(timesOf(first, B)).containsExactly(1.0);
    assertThat(gate.firstHeld(B)).map(ConsumerRecord::offset).contains(1L);
  }

  @Test
  void shouldHoldEveryPartitionWhileAnAssignedPartitionHasFetchedNothing() {
    EventTimeGate gate = gate(Duration.ofSeconds(1), Map.of(A, FAR, B, FAR));
    gate.assign(THREAD_1, List.of(A, B));
    fetch(gate, B, 0, 1, 2);

    assertThat(gate.release(THREAD_1, Set.of(), 100).records()).isEmpty();
    assertThat(gate.waitingFor()).containsExactly(A);
    assertThat(gate.canRelease(THREAD_1, Set.of())).isFalse();

    fetch(gate, A, 0, 1.5);
    EventTimeGate.Released released = gate.release(THREAD_1, Set.of(), 100);
    assertThat(timesOf(released, B)).containsExactly(1.0, 2.0);
    assertThat(timesOf(released, A)).containsExactly(1.5);
    assertThat(gate.waitingFor()).isEmpty();
  }

  @Test
  void shouldNotWaitForPartitionsAssignedElsewhere() {
    EventTimeGate gate = gate(Duration.ZERO, Map.of(A, FAR, B, FAR));
    gate.assign(THREAD_1, List.of(B));
    fetch(gate, B, 0, 1, 2);

    assertThat(timesOf(gate.release(THREAD_1, Set.of(), 100), B)).containsExactly(1.0, 2.0);
    assertThat(gate.replayingPartitions()).containsExactly(B);
    assertThat(gate.isActive()).isTrue();
  }

  @Test
  void shouldKeepALivePartitionBehindThePartitionsStillReplaying() {
    EventTimeGate gate = gate(Duration.ZERO, Map.of(A, 2L, B, 3L));
    gate.assign(THREAD_1, List.of(A, B));
    // A@70 was appended after the replay started.
    fetch(gate, A, 0, 1, 2, 70);
    fetch(gate, B, 0, 50, 60);

    EventTimeGate.Released first = gate.release(THREAD_1, Set.of(), 100);

    // A reached its target with A@2. Its live A@70 must not run ahead of B, which still replays.
    assertThat(timesOf(first, A)).containsExactly(1.0, 2.0);
    assertThat(timesOf(first, B)).containsExactly(50.0, 60.0);
    assertThat(gate.replayingPartitions()).containsExactly(B);
    assertThat(gate.paces(A)).isTrue();
    assertThat(gate.firstHeld(A)).map(ConsumerRecord::offset).contains(2L);

    fetch(gate, B, 2, 80);
    EventTimeGate.Released second = gate.release(THREAD_1, Set.of(), 100);

    assertThat(timesOf(second, A)).containsExactly(70.0);
    assertThat(timesOf(second, B)).containsExactly(80.0);
    // Both reached their targets: nothing is paced any more, here or after a new assignment.
    assertThat(gate.isActive()).isFalse();
    assertThat(gate.paces(A)).isFalse();
    assertThat(gate.hold(THREAD_1, A, List.of(record(A, 3, 90)), next(4))).isFalse();
    gate.revoke(THREAD_1, List.of(A));
    gate.assign(THREAD_2, List.of(A));
    assertThat(gate.paces(A)).isFalse();
    assertThat(gate.waitingFor()).isEmpty();
  }

  @Test
  void shouldTreatTheFirstRecordPastTheTargetAsLiveButBehindTheReplay() {
    // Offsets 3 and 4 were control records (a committed transaction): the next record is at 5.
    EventTimeGate gate = gate(Duration.ZERO, Map.of(A, 4L, B, FAR));
    gate.assign(THREAD_1, List.of(A, B));
    gate.hold(THREAD_1, A, List.of(record(A, 5, 90), record(A, 6, 95)), next(7));
    fetch(gate, B, 0, 1);

    EventTimeGate.Released released = gate.release(THREAD_1, Set.of(), 100);

    assertThat(offsetsOf(released, A)).isEmpty();
    assertThat(timesOf(released, B)).containsExactly(1.0);
    assertThat(gate.replayingPartitions()).containsExactly(B);
    assertThat(gate.waitingFor()).isEmpty();
    fetch(gate, B, 1, 92);
    assertThat(offsetsOf(gate.release(THREAD_1, Set.of(), 100), A)).containsExactly(5L);
  }

  @Test
  void shouldReachTheTargetWhenControlRecordsEndThePartition() {
    EventTimeGate gate = gate(Duration.ZERO, Map.of(A, 6L));
    gate.assign(THREAD_1, List.of(A));
    // Records 0 to 4, then the commit marker at 5: the consumer's next offset is 6.
    gate.hold(THREAD_1, A, List.of(record(A, 0, 1), record(A, 1, 2), record(A, 4, 3)), next(6));

    EventTimeGate.Released released = gate.release(THREAD_1, Set.of(), 100);

    assertThat(offsetsOf(released, A)).containsExactly(0L, 1L, 4L);
    assertThat(released.nextOffsets()).containsEntry(A, next(6));
    assertThat(gate.isActive()).isFalse();
    assertThat(gate.paces(A)).isFalse();
  }

  @Test
  void shouldReportNextOffsetsOnlyUpToReleasedRecords() {
    EventTimeGate gate = gate(Duration.ZERO, Map.of(A, FAR, B, FAR));
    gate.assign(THREAD_1, List.of(A, B));
    gate.hold(THREAD_1, A, List.of(record(A, 0, 1), record(A, 1, 5)), next(2));
    gate.hold(THREAD_1, B, List.of(record(B, 0, 2)), next(3));

    EventTimeGate.Released released = gate.release(THREAD_1, Set.of(), 100);

    // A@5 is held: A may commit 1 (after A@1), not the consumer's 2. B released everything, so the
    // consumer's own next offset, past a control record at 1, is the one to commit.
    assertThat(released.nextOffsets())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(A, new OffsetAndMetadata(1, Optional.of(7), ""), B, next(3)));
  }

  @Test
  void shouldReportTheNextOffsetOfAFetchOfControlRecordsOnly() {
    EventTimeGate gate = gate(Duration.ZERO, Map.of(A, FAR));
    gate.assign(THREAD_1, List.of(A));
    fetch(gate, A, 0, 1);
    gate.release(THREAD_1, Set.of(), 100);

    gate.hold(THREAD_1, A, List.of(), next(3));

    assertThat(gate.release(THREAD_1, Set.of(), 100).nextOffsets()).containsEntry(A, next(3));
    assertThat(gate.release(THREAD_1, Set.of(), 100).nextOffsets()).isEmpty();
  }

  @Test
  void shouldTreatAPartitionWithNothingToReplayAsLive() {
    EventTimeGate gate = gate(Duration.ZERO, Map.of(A, 0L, B, 10L, C, FAR));
    gate.assign(THREAD_1, List.of(A, B, C));

    // A is empty; B starts at its target, as its consumer's position shows. Both are live, but
    // records appended to them now wait behind C's replay.
    assertThat(gate.paces(A)).isTrue();
    assertThat(gate.unfetched(THREAD_1)).containsExactlyInAnyOrder(B, C);
    gate.positionKnown(B, 10);
    gate.positionKnown(C, 0);
    fetch(gate, C, 0, 1, 2);

    assertThat(timesOf(gate.release(THREAD_1, Set.of(), 100), C)).containsExactly(1.0, 2.0);
    assertThat(gate.replayingPartitions()).containsExactly(C);
    assertThat(new EventTimeGate(Duration.ZERO, Map.of(A, 0L)).isActive()).isFalse();
    assertThat(new EventTimeGate(Duration.ZERO, Map.of()).isActive()).isFalse();
  }

  @Test
  void shouldNeverPaceOtherTopics() {
    EventTimeGate gate = gate(Duration.ZERO, Map.of(A, FAR));
    gate.assign(THREAD_1, List.of(A, REPARTITION));

    assertThat(gate.paces(REPARTITION)).isFalse();
    assertThat(gate.replayingPartitions()).containsExactly(A);
    assertThat(gate.hold(THREAD_1, REPARTITION, List.of(record(REPARTITION, 0, 1)), next(1)))
        .isFalse();
    assertThat(gate.heldNow()).isZero();
  }

  @Test
  void shouldDropHeldRecordsWhenAPartitionIsSought() {
    EventTimeGate gate = gate(Duration.ZERO, Map.of(A, FAR, B, FAR));
    gate.assign(THREAD_1, List.of(A, B));
    fetch(gate, A, 0, 1, 2, 3);
    fetch(gate, B, 0, 10);
    gate.release(THREAD_1, Set.of(), 100);
    assertThat(gate.firstHeld(B)).map(ConsumerRecord::offset).contains(0L);

    gate.restart(B);

    assertThat(gate.firstHeld(B)).isEmpty();
    assertThat(gate.heldNow()).isZero();
    // What B fetches next is unknown again, so A waits for it.
    assertThat(gate.waitingFor()).containsExactly(B);
    fetch(gate, A, 3, 4);
    assertThat(gate.release(THREAD_1, Set.of(), 100).records()).isEmpty();
  }

  @Test
  void shouldDropHeldRecordsAndStopWaitingForRevokedPartitions() {
    EventTimeGate gate = gate(Duration.ZERO, Map.of(A, FAR, B, FAR));
    gate.assign(THREAD_1, List.of(A, B));
    fetch(gate, A, 0, 5, 6);
    fetch(gate, B, 0, 1);
    gate.release(THREAD_1, Set.of(), 100);

    gate.revoke(THREAD_1, List.of(A));

    assertThat(gate.firstHeld(A)).isEmpty();
    assertThat(gate.heldNow()).isZero();
    assertThat(gate.replayingPartitions()).containsExactly(B);
    fetch(gate, B, 1, 9);
    assertThat(timesOf(gate.release(THREAD_1, Set.of(), 100), B)).containsExactly(9.0);
  }

  @Test
  void shouldDropWhatAThreadHeldWhenItClosesOrAnotherTakesItsPartitionOver() {
    EventTimeGate gate = gate(Duration.ZERO, Map.of(A, FAR, B, FAR));
    gate.assign(THREAD_1, List.of(A, B));
    fetch(gate, A, 0, 5);
    fetch(gate, B, 0, 6);
    gate.release(THREAD_1, Set.of(), 100);
    assertThat(gate.heldNow()).isEqualTo(1);

    gate.assign(THREAD_2, List.of(B));
    assertThat(gate.heldNow()).isZero();
    gate.revoke(THREAD_1, List.of(B)); // late revocation of the old owner: B stays with thread 2
    assertThat(gate.replayingPartitions()).containsExactlyInAnyOrder(A, B);

    gate.revokeAll(THREAD_1);
    assertThat(gate.replayingPartitions()).containsExactly(B);
  }

  @Test
  void shouldBoundTheSkewAcrossThreadsSharingTheGate() {
    EventTimeGate gate = gate(Duration.ofSeconds(1), Map.of(A, FAR, B, FAR));
    gate.assign(THREAD_1, List.of(A));
    gate.assign(THREAD_2, List.of(B));
    fetch(gate, A, 0, 1, 2, 3, 4);

    // Thread 2 has fetched nothing for B yet: thread 1 waits.
    assertThat(gate.release(THREAD_1, Set.of(), 100).records()).isEmpty();
    fetchFor(THREAD_2, gate, B, 0, 2.5);
    assertThat(timesOf(gate.release(THREAD_1, Set.of(), 100), A)).containsExactly(1.0, 2.0, 3.0);
    // Thread 1 cannot release B's records; thread 2 can.
    assertThat(gate.release(THREAD_1, Set.of(), 100).records()).isEmpty();
    assertThat(timesOf(gate.release(THREAD_2, Set.of(), 100), B)).containsExactly(2.5);
  }

  @Test
  void shouldKeepRecordsOfPausedPartitionsHeldButCountTheirTime() {
    EventTimeGate gate = gate(Duration.ZERO, Map.of(A, FAR, B, FAR));
    gate.assign(THREAD_1, List.of(A, B));
    fetch(gate, A, 0, 1, 3);
    fetch(gate, B, 0, 2);

    EventTimeGate.Released released = gate.release(THREAD_1, Set.of(A), 100);

    // A's task cannot take records; its first held record (1 s) still bounds B.
    assertThat(released.records()).isEmpty();
    assertThat(released.nextOffsets()).isEmpty();
    EventTimeGate.Released resumed = gate.release(THREAD_1, Set.of(), 100);
    assertThat(timesOf(resumed, A)).containsExactly(1.0);
    assertThat(timesOf(resumed, B)).containsExactly(2.0);
  }

  @Test
  void shouldReleaseTheOldestRecordsFirstWhenAPollIsFull() {
    EventTimeGate gate = gate(Duration.ofSeconds(100), Map.of(A, FAR, B, FAR));
    gate.assign(THREAD_1, List.of(A, B));
    fetch(gate, A, 0, 1, 3, 5, 7);
    fetch(gate, B, 0, 2, 4, 6, 8);

    EventTimeGate.Released released = gate.release(THREAD_1, Set.of(), 5);

    assertThat(timesOf(released, A)).containsExactly(1.0, 3.0, 5.0);
    assertThat(timesOf(released, B)).containsExactly(2.0, 4.0);
    assertThat(gate.heldNow()).isEqualTo(3);
  }

  @Test
  void shouldCountRecordsAndTimeHeldBack() {
    EventTimeGate gate = gate(Duration.ZERO, Map.of(A, FAR, B, FAR));
    gate.assign(THREAD_1, List.of(A, B));
    fetch(gate, A, 0, 1, 2, 3);
    gate.release(THREAD_1, Set.of(), 100);
    assertThat(gate.heldTotal()).isEqualTo(3);
    nanos.addAndGet(Duration.ofMillis(250).toNanos());
    assertThat(gate.heldTime()).isEqualTo(Duration.ofMillis(250));

    fetch(gate, B, 0, 5);
    gate.release(THREAD_1, Set.of(), 100);
    // A's three records were counted when first held; B@5 is new and held.
    assertThat(gate.heldTotal()).isEqualTo(4);
    assertThat(gate.heldNow()).isEqualTo(1);
    fetch(gate, A, 3, 6);
    gate.release(THREAD_1, Set.of(), 100);
    nanos.addAndGet(Duration.ofMillis(100).toNanos());

    assertThat(gate.heldNow()).isEqualTo(1);
    assertThat(gate.heldTotal()).isEqualTo(5);
    gate.revokeAll(THREAD_1);
    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(gate.heldTime()).isEqualTo(Duration.ofMillis(350));
  }

  @Test
  void shouldRejectANegativeSkew() {
    assertThatThrownBy(() -> new EventTimeGate(Duration.ofMillis(-1), Map.of(A, 1L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxSkew must not be negative, was PT-0.001S");
  }

  @Test
  void shouldRejectANegativeTarget() {
    assertThatThrownBy(() -> new EventTimeGate(Duration.ZERO, Map.of(B, -1L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Replay target of readings-1 must not be negative, was -1");
  }

  private EventTimeGate gate(Duration skew, Map<TopicPartition, Long> targets) {
    return new EventTimeGate(skew, targets, nanos::get);
  }

  /** Fetches records of {@code partition} for thread 1, from {@code offset} on, at these times. */
  private static void fetch(
      EventTimeGate gate, TopicPartition partition, long offset, double... seconds) {
    fetchFor(THREAD_1, gate, partition, offset, seconds);
  }

  private static void fetchFor(
      Object owner, EventTimeGate gate, TopicPartition partition, long offset, double... seconds) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < seconds.length; i++) {
      records.add(record(partition, offset + i, seconds[i]));
    }
    gate.hold(owner, partition, records, next(offset + seconds.length));
  }

  private static ConsumerRecord<byte[], byte[]> record(
      TopicPartition partition, long offset, double seconds) {
    return new ConsumerRecord<>(
        partition.topic(),
        partition.partition(),
        offset,
        at(seconds),
        TimestampType.CREATE_TIME,
        0,
        0,
        new byte[0],
        new byte[0],
        new RecordHeaders(),
        Optional.of(7));
  }

  /** A log timestamp {@code seconds} after a fixed start. */
  private static long at(double seconds) {
    return 1_790_000_000_000L + Math.round(seconds * 1000);
  }

  private static double seconds(ConsumerRecord<?, ?> record) {
    return (record.timestamp() - at(0)) / 1000.0;
  }

  private static OffsetAndMetadata next(long offset) {
    return new OffsetAndMetadata(offset, Optional.of(7), "");
  }

  private static List<Double> timesOf(EventTimeGate.Released released, TopicPartition partition) {
    return released.records().getOrDefault(partition, List.of()).stream()
        .map(EventTimeGateTest::seconds)
        .toList();
  }

  private static List<Long> offsetsOf(EventTimeGate.Released released, TopicPartition partition) {
    return released.records().getOrDefault(partition, List.of()).stream()
        .map(ConsumerRecord::offset)
        .toList();
  }

  private static String describe(ConsumerRecord<?, ?> record) {
    return (record.partition() == 0 ? "A" : "B") + "@" + seconds(record);
  }
}
