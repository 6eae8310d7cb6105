package dev.kappa.reprocessing.replay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kappa.serde.Codec;
import dev.kappa.topology.Source;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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
 * The rules of the gate, driven as a consumer and a producer drive it: records fetched per
 * partition, lags after a poll, releases, commits; the other instances' partitions are what the
 * board says of them. Event times are in seconds here ({@link #at}), offsets start at 0, and every
 * record was appended at the same moment, as in a bulk load: only the event time in the value
 * orders them.
 */
class EventTimeGateTest {

  /** A reading with its event time, as a source declares it. */
  record Reading(String id, Instant time) {}

  private static final Source<String, Reading> READINGS =
      Source.of("readings", Codec.string(), Codec.json(Reading.class)).withEventTime(Reading::time);
  private static final RecordTimes TIMES = RecordTimes.of(List.of(READINGS));
  private static final TopicPartition A = new TopicPartition("readings", 0);
  private static final TopicPartition B = new TopicPartition("readings", 1);
  private static final TopicPartition C = new TopicPartition("readings", 2);
  private static final TopicPartition REPARTITION =
      new TopicPartition("job-by-node-repartition", 0);
  private static final Duration SKEW = Duration.ofSeconds(5);
  private static final long LAG_THRESHOLD = 10;
  private static final long APPENDED = 1_790_000_000_000L;
  private static final Object THREAD_1 = new Object();
  private static final Object THREAD_2 = new Object();

  private final AtomicLong nanos = new AtomicLong();

  @Test
  void shouldReleaseRecordsUpToTheSkewAfterTheLowWatermarkByEventTimeNotAppendTime() {
    TestBoard board = new TestBoard(A, B);
    EventTimeGate gate = gate(board);
    gate.assign(THREAD_1, List.of(A, B));
    fetch(gate, A, 0, 0, 1, 2, 9, 20);
    fetch(gate, B, 0, 3, 4, 12);

    // A's first record, at 0 s, lets B run to 5 s; B's, at 3 s, lets A run to 8 s.
    EventTimeGate.Released released = gate.release(THREAD_1, Set.of(), 100);

    assertThat(timesOf(released, A)).containsExactly(0.0, 1.0, 2.0);
    assertThat(timesOf(released, B)).containsExactly(3.0, 4.0);
    assertThat(gate.firstHeld(A)).map(ConsumerRecord::offset).contains(3L);
    assertThat(gate.heldNow()).isEqualTo(3);
    assertThat(gate.watermark()).hasValue(at(0));
  }

  @Test
  void shouldMoveTheWatermarkOnlyWhenReleasedRecordsAreCommitted() {
    TestBoard board = new TestBoard(A, B);
    EventTimeGate gate = gate(board);
    gate.assign(THREAD_1, List.of(A, B));
    fetch(gate, A, 0, 0, 1, 9);
    fetch(gate, B, 0, 3, 9);
    gate.release(THREAD_1, Set.of(), 100);

    // Released but not committed, A@0 still holds B to 5 s (a crash would process it again), and
    // B@3 holds A to 8 s.
    assertThat(gate.canRelease(THREAD_1, Set.of())).isFalse();
    assertThat(board.publishedFrontier(A)).isEqualTo(at(0));

    gate.committed(Map.of(A, new OffsetAndMetadata(2), B, new OffsetAndMetadata(1)));

    // A's first uncommitted record is A@9, B's is B@9: both may run to 14 s.
    assertThat(board.publishedFrontier(A)).isEqualTo(at(9));
    assertThat(board.publishedFrontier(B)).isEqualTo(at(9));
    EventTimeGate.Released next = gate.release(THREAD_1, Set.of(), 100);
    assertThat(timesOf(next, A)).containsExactly(9.0);
    assertThat(timesOf(next, B)).containsExactly(9.0);
  }

  @Test
  void shouldLetPartitionsTakeTurnsCommitByCommitWhenTheSkewIsZero() {
    // A skew of 0 (a step without grace): a record passes only when no other partition has an
    // uncommitted record before it, so interleaved partitions move one record per commit.
    TestBoard board = new TestBoard(A, B);
    EventTimeGate gate = new EventTimeGate(TIMES, board, Duration.ZERO, LAG_THRESHOLD, nanos::get);
    gate.assign(THREAD_1, List.of(A, B));
    fetch(gate, A, 0, 1, 3, 5);
    fetch(gate, B, 0, 2, 4, 6);

    EventTimeGate.Released first = gate.release(THREAD_1, Set.of(), 100);
    assertThat(timesOf(first, A)).containsExactly(1.0);
    assertThat(timesOf(first, B)).isEmpty();
    // Released is not enough: until A@1 is committed, B@2 waits.
    assertThat(gate.release(THREAD_1, Set.of(), 100).records()).isEmpty();

    gate.committed(Map.of(A, new OffsetAndMetadata(1)));
    EventTimeGate.Released second = gate.release(THREAD_1, Set.of(), 100);
    assertThat(timesOf(second, A)).isEmpty();
    assertThat(timesOf(second, B)).containsExactly(2.0);

    gate.committed(Map.of(B, new OffsetAndMetadata(1)));
    assertThat(timesOf(gate.release(THREAD_1, Set.of(), 100), A)).containsExactly(3.0);
    assertThat(gate.heldNow()).isEqualTo(3);
  }

  @Test
  void shouldHoldBackBehindThePublishedFrontierOfAPartitionOfAnotherInstance() {
    TestBoard board = new TestBoard(A, B);
    board.offsets.put(B, new SharedPositions.Offsets(0, 100));
    board.published.put(B, new SharedPositions.Published(0, at(10)));
    EventTimeGate gate = gate(board);
    gate.assign(THREAD_1, List.of(A));
    fetch(gate, A, 0, 11, 14, 16, 30);

    assertThat(timesOf(gate.release(THREAD_1, Set.of(), 100), A)).containsExactly(11.0, 14.0);

    // The other instance commits B up to a record at 25 s: A may run to 30 s.
    board.published.put(B, new SharedPositions.Published(40, at(25)));
    assertThat(timesOf(gate.release(THREAD_1, Set.of(), 100), A)).containsExactly(16.0, 30.0);
  }

  @Test
  void shouldHoldEverythingWhileAPartitionThatIsNotAtItsEndHasNoKnownFrontier() {
    TestBoard board = new TestBoard(A, B);
    board.offsets.put(B, new SharedPositions.Offsets(0, 100));
    EventTimeGate gate = gate(board);
    gate.assign(THREAD_1, List.of(A));
    fetch(gate, A, 0, 1, 2);

    // Nobody has published B yet (its instance has not fetched it, or is down): hold, never drop.
    assertThat(gate.release(THREAD_1, Set.of(), 100).records()).isEmpty();
    assertThat(gate.canRelease(THREAD_1, Set.of())).isFalse();

    board.published.put(B, new SharedPositions.Published(0, at(0)));
    assertThat(timesOf(gate.release(THREAD_1, Set.of(), 100), A)).containsExactly(1.0, 2.0);
  }

  @Test
  void shouldNotBeHeldBackByEmptyOrIdlePartitions() {
    TestBoard board = new TestBoard(A, B, C);
    // B is empty; C, here, has nothing to fetch: both are at their end.
    board.offsets.put(B, new SharedPositions.Offsets(0, 0));
    EventTimeGate gate = gate(board);
    gate.assign(THREAD_1, List.of(A, C));
    fetch(gate, A, 0, 1, 100);
    gate.lags(THREAD_1, Map.of(A, 0L, C, 0L));

    assertThat(timesOf(gate.release(THREAD_1, Set.of(), 100), A)).containsExactly(1.0, 100.0);

    // An idle partition that gets a record again holds the others from its first one on.
    board.offsets.put(B, new SharedPositions.Offsets(0, 1));
    board.published.put(B, new SharedPositions.Published(0, at(50)));
    fetch(gate, A, 2, 101);
    gate.committed(Map.of(A, new OffsetAndMetadata(2)));
    assertThat(gate.release(THREAD_1, Set.of(), 100).records()).isEmpty();
  }

  @Test
  void shouldKeepTheOffsetOrderOfAPartitionWhateverTheEventTimes() {
    TestBoard board = new TestBoard(A, B);
    EventTimeGate gate = gate(board);
    gate.assign(THREAD_1, List.of(A, B));
    // A's second record is older than its first: it still waits behind A@7, which is held.
    fetch(gate, A, 0, 7, 0.5);
    fetch(gate, B, 0, 1, 2);

    EventTimeGate.Released released = gate.release(THREAD_1, Set.of(), 100);

    assertThat(timesOf(released, A)).isEmpty();
    assertThat(timesOf(released, B)).containsExactly(1.0, 2.0);
    assertThat(gate.firstHeld(A)).map(ConsumerRecord::offset).contains(0L);
    assertThat(gate.observedDisorder()).isEqualTo(Duration.ofMillis(6_500));
  }

  @Test
  void shouldPassRecordsWithoutAReadableTimeAtOnce() {
    TestBoard board = new TestBoard(A, B);
    board.offsets.put(B, new SharedPositions.Offsets(0, 100));
    EventTimeGate gate = gate(board);
    gate.assign(THREAD_1, List.of(A));
    List<ConsumerRecord<byte[], byte[]>> records =
        List.of(
            record(A, 0, "not json".getBytes(StandardCharsets.UTF_8)),
            record(A, 1, null),
            reading(A, 2, 3));
    gate.hold(THREAD_1, A, records, next(3));

    // The watermark is unknown (B), yet what the job will dead-letter does not wait for it.
    EventTimeGate.Released released = gate.release(THREAD_1, Set.of(), 100);
    assertThat(offsetsOf(released, A)).containsExactly(0L, 1L);
    assertThat(gate.firstHeld(A)).map(ConsumerRecord::offset).contains(2L);
  }

  @Test
  void shouldStopAligningOnceEveryPartitionHasCaughtUpAndAlignAgainWhenOneLags() {
    TestBoard board = new TestBoard(A, B);
    board.offsets.put(B, new SharedPositions.Offsets(90, 95));
    board.published.put(B, new SharedPositions.Published(90, at(0)));
    EventTimeGate gate = gate(board);
    gate.assign(THREAD_1, List.of(A));
    fetch(gate, A, 0, 1);
    gate.lags(THREAD_1, Map.of(A, 3L));
    gate.release(THREAD_1, Set.of(), 100);
    nanos.addAndGet(Duration.ofMillis(600).toNanos());
    gate.release(THREAD_1, Set.of(), 100);
    assertThat(gate.aligning()).as("caught up for less than a second").isTrue();
    nanos.addAndGet(Duration.ofMillis(600).toNanos());
    gate.release(THREAD_1, Set.of(), 100);
    assertThat(gate.aligning()).isFalse();

    // Caught up: records pass as they are fetched, within half the skew of B's frontier.
    assertThat(gate.hold(THREAD_1, A, List.of(reading(A, 1, 2)), next(2))).isFalse();

    gate.lags(THREAD_1, Map.of(A, LAG_THRESHOLD + 1));
    assertThat(gate.aligning()).isTrue();
    assertThat(gate.realignments()).isEqualTo(1);
    assertThat(gate.hold(THREAD_1, A, List.of(reading(A, 2, 501)), next(3))).isTrue();
  }

  @Test
  void shouldAlignAgainWhenACommitFindsItsPartitionHalfTheSkewAheadOfAStalledOne() {
    TestBoard board = new TestBoard(A, B);
    // B is at its end, its last record at 10 s; so A's records pass as they are fetched.
    board.offsets.put(B, new SharedPositions.Offsets(95, 95));
    board.published.put(B, new SharedPositions.Published(95, at(10)));
    EventTimeGate gate = caughtUpOnA(board);
    gate.hold(
        THREAD_1, A, List.of(reading(A, 0, 11), reading(A, 1, 12), reading(A, 2, 14)), next(3));

    assertThat(gate.aligning()).isFalse();
    // Then B's instance dies; B gets records, not enough lag to be noticed.
    board.offsets.put(B, new SharedPositions.Offsets(95, 100));
    gate.committed(Map.of(A, new OffsetAndMetadata(1)));
    assertThat(gate.aligning()).isFalse();
    gate.committed(Map.of(A, new OffsetAndMetadata(3)));

    // A is committed up to 14 s, more than 2.5 s (half the skew) after B's 10 s.
    assertThat(gate.aligning()).isTrue();
    fetch(gate, A, 3, 15, 16);
    assertThat(timesOf(gate.release(THREAD_1, Set.of(), 100), A)).containsExactly(15.0);
  }

  @Test
  void shouldShareTheWatermarkBetweenTheStreamThreadsOfAnInstance() {
    TestBoard board = new TestBoard(A, B);
    EventTimeGate gate = gate(board);
    gate.assign(THREAD_1, List.of(A));
    gate.assign(THREAD_2, List.of(B));
    fetchFor(THREAD_1, gate, A, 0, 20, 21);
    fetchFor(THREAD_2, gate, B, 0, 2, 30);

    assertThat(gate.release(THREAD_1, Set.of(), 100).records()).isEmpty();
    assertThat(timesOf(gate.release(THREAD_2, Set.of(), 100), B)).containsExactly(2.0);
    assertThat(gate.partitionsOf(THREAD_2)).containsExactly(B);
  }

  @Test
  void shouldPassOtherTopicsAndKeepPausedPartitionsHeld() {
    TestBoard board = new TestBoard(A, B);
    EventTimeGate gate = gate(board);
    gate.assign(THREAD_1, List.of(A, B));
    assertThat(gate.hold(THREAD_1, REPARTITION, List.of(), next(0))).isFalse();
    fetch(gate, A, 0, 1);
    fetch(gate, B, 0, 2);

    EventTimeGate.Released released = gate.release(THREAD_1, Set.of(A), 100);

    assertThat(timesOf(released, A)).isEmpty();
    assertThat(timesOf(released, B)).containsExactly(2.0);
    assertThat(released.nextOffsets()).containsOnlyKeys(B);
  }

  @Test
  void shouldDropWhatARevokedPartitionHeldAndLetItsNewOwnerTakeItOver() {
    TestBoard board = new TestBoard(A, B);
    EventTimeGate gate = gate(board);
    gate.assign(THREAD_1, List.of(A, B));
    fetch(gate, A, 0, 1, 2);
    fetch(gate, B, 0, 20);

    gate.revoke(THREAD_1, List.of(B));

    assertThat(gate.firstHeld(B)).isEmpty();
    // B is no longer here: its published frontier (20 s) holds A no more than it did.
    assertThat(board.publishedFrontier(B)).isEqualTo(at(20));
    gate.assign(THREAD_2, List.of(B));
    assertThat(gate.heldRecords(THREAD_1)).containsOnlyKeys(A);
  }

  @Test
  void shouldHoldASourceRecordWithinTheSkewOfWhatItsCoInputMayStillBring() {
    // A's task also reads the repartition topic, as a join reads its other side.
    EventTimeGate gate = joinGate();
    gate.assign(THREAD_1, List.of(A, REPARTITION));
    fetch(gate, A, 0, 0, 1, 30);

    // A alone would run free, but nothing says yet what the repartition topic still holds.
    assertThat(gate.release(THREAD_1, Set.of(), 100).records()).isEmpty();
    CoInputs.Check check = gate.coInputsToCheck(THREAD_1, Set.of()).orElseThrow();
    assertThat(check.partitions()).containsExactly(REPARTITION);
    assertThat(check.watermark()).isEqualTo(at(0));

    // Its consumer has fetched it to its end: what comes next was not committed at 0 s.
    gate.coInputsDrained(THREAD_1, check.watermark(), check.partitions());
    assertThat(timesOf(gate.release(THREAD_1, Set.of(), 100), A)).containsExactly(0.0, 1.0);

    // Records at 2 s and 3 s pass through the repartition topic; A is committed past 1 s.
    assertThat(gate.hold(THREAD_1, REPARTITION, List.of(timed(0, 2), timed(1, 3)), next(2)))
        .isFalse();
    gate.committed(Map.of(A, new OffsetAndMetadata(2)));
    // A@30 waits for them, and no check can help until they are committed.
    assertThat(gate.canRelease(THREAD_1, Set.of())).isFalse();
    assertThat(gate.coInputsToCheck(THREAD_1, Set.of())).isEmpty();

    gate.committed(Map.of(REPARTITION, new OffsetAndMetadata(2)));
    // Still bounded by the drain at 0 s, until the consumer finds it drained again.
    assertThat(gate.canRelease(THREAD_1, Set.of())).isFalse();
    CoInputs.Check again = gate.coInputsToCheck(THREAD_1, Set.of()).orElseThrow();
    assertThat(again.watermark()).isEqualTo(at(30));
    gate.coInputsDrained(THREAD_1, again.watermark(), Set.of());
    assertThat(gate.canRelease(THREAD_1, Set.of())).isFalse();
    gate.coInputsDrained(THREAD_1, again.watermark(), again.partitions());
    assertThat(timesOf(gate.release(THREAD_1, Set.of(), 100), A)).containsExactly(30.0);
  }

  @Test
  void shouldForgetThatACoInputWasDrainedWhenItsConsumerIsSought() {
    EventTimeGate gate = joinGate();
    gate.assign(THREAD_1, List.of(A, REPARTITION));
    gate.coInputsDrained(THREAD_1, at(0), Set.of(REPARTITION));
    fetch(gate, A, 0, 1);

    // Sought back, it will fetch again what was already fetched.
    gate.restart(REPARTITION);

    assertThat(gate.release(THREAD_1, Set.of(), 100).records()).isEmpty();
    assertThat(gate.coInputsToCheck(THREAD_1, Set.of())).isPresent();
  }

  @Test
  void shouldRejectANegativeSkewOrLagThreshold() {
    TestBoard board = new TestBoard(A);
    assertThatThrownBy(() -> new EventTimeGate(TIMES, board, Duration.ofMillis(-1), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxSkew must not be negative, was PT-0.001S");
    assertThatThrownBy(() -> new EventTimeGate(TIMES, board, SKEW, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lagThreshold must be 0 or more records, was -1");
  }

  /** A gate that runs A, which has caught up, with alignment off. */
  private EventTimeGate caughtUpOnA(TestBoard board) {
    EventTimeGate gate = gate(board);
    gate.assign(THREAD_1, List.of(A));
    gate.lags(THREAD_1, Map.of(A, 0L));
    gate.release(THREAD_1, Set.of(), 100);
    nanos.addAndGet(Duration.ofMillis(1_100).toNanos());
    gate.release(THREAD_1, Set.of(), 100);
    assertThat(gate.aligning()).isFalse();
    return gate;
  }

  private EventTimeGate gate(TestBoard board) {
    return new EventTimeGate(TIMES, board, SKEW, LAG_THRESHOLD, nanos::get);
  }

  /** A gate for A alone, whose task also reads {@link #REPARTITION}. */
  private EventTimeGate joinGate() {
    return new EventTimeGate(
        RecordTimes.of(List.of(READINGS), Map.of("readings", Set.of(REPARTITION.topic()))),
        new TestBoard(A),
        SKEW,
        LAG_THRESHOLD,
        nanos::get);
  }

  /** Fetches readings of {@code partition} for thread 1, from {@code offset} on, at these times. */
  private static void fetch(
      EventTimeGate gate, TopicPartition partition, long offset, double... seconds) {
    fetchFor(THREAD_1, gate, partition, offset, seconds);
  }

  private static void fetchFor(
      Object owner, EventTimeGate gate, TopicPartition partition, long offset, double... seconds) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < seconds.length; i++) {
      records.add(reading(partition, offset + i, seconds[i]));
    }
    gate.hold(owner, partition, records, next(offset + seconds.length));
  }

  private static ConsumerRecord<byte[], byte[]> reading(
      TopicPartition partition, long offset, double seconds) {
    byte[] value =
        READINGS
            .values()
            .serde()
            .serializer()
            .serialize(
                partition.topic(), new Reading("r-" + offset, Instant.ofEpochMilli(at(seconds))));
    return record(partition, offset, value);
  }

  /** A record of the repartition topic, timed by its timestamp, {@code seconds} after the start. */
  private static ConsumerRecord<byte[], byte[]> timed(long offset, double seconds) {
    return new ConsumerRecord<>(
        REPARTITION.topic(),
        REPARTITION.partition(),
        offset,
        at(seconds),
        TimestampType.CREATE_TIME,
        0,
        1,
        new byte[0],
        new byte[] {'x'},
        new RecordHeaders(),
        Optional.of(7));
  }

  private static ConsumerRecord<byte[], byte[]> record(
      TopicPartition partition, long offset, byte[] value) {
    return new ConsumerRecord<>(
        partition.topic(),
        partition.partition(),
        offset,
        APPENDED,
        TimestampType.LOG_APPEND_TIME,
        0,
        value == null ? 0 : value.length,
        new byte[0],
        value,
        new RecordHeaders(),
        Optional.of(7));
  }

  /** An event time {@code seconds} after a fixed start, a day before every record was appended. */
  private static long at(double seconds) {
    return APPENDED - Duration.ofDays(1).toMillis() + Math.round(seconds * 1000);
  }

  private static double seconds(ConsumerRecord<byte[], byte[]> record) {
    return (TIMES.of(record) - at(0)) / 1000.0;
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
}
