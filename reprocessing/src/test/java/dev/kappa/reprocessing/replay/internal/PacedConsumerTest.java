package dev.kappa.reprocessing.replay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kappa.serde.Codec;
import dev.kappa.topology.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The consumer as Kafka Streams sees it, over Kafka's in-memory {@link MockConsumer}: what a poll
 * returns, and the position, lag, pauses and commits that decide what Streams commits. The source
 * declares no event-time function, so record timestamps are the event times, in seconds; the skew
 * is 1 s, and the only partitions of the version are A and B, both here.
 */
class PacedConsumerTest {

  private static final String READINGS = "readings";
  private static final String REPARTITION = "job-by-node-repartition";
  private static final TopicPartition A = new TopicPartition(READINGS, 0);
  private static final TopicPartition B = new TopicPartition(READINGS, 1);
  private static final TopicPartition R = new TopicPartition(REPARTITION, 0);
  private static final RecordTimes TIMES =
      RecordTimes.of(
          List.of(
              Source.of(
                  READINGS,
                  Codec.of(byte[].class, Serdes.ByteArray()),
                  Codec.of(byte[].class, Serdes.ByteArray()))));
  private static final Duration POLL = Duration.ofMillis(10);

  private final StreamsListener streams = new StreamsListener();
  private final AtomicLong nanos = new AtomicLong();
  private final TestBoard board = new TestBoard(A, B);
  private MockConsumer<byte[], byte[]> kafka;
  private EventTimeGate gate;
  private PacedConsumer consumer;

  /**
   * A paced consumer at 2 records a poll, assigned A, B and R (from offset 0) as Kafka Streams
   * would be.
   */
  @BeforeEach
  void start() {
    kafka = new MockConsumer<>("earliest");
    gate = new EventTimeGate(TIMES, board, Duration.ofSeconds(1), 10, nanos::get);
    consumer = new PacedConsumer(kafka, gate, 2);
    consumer.subscribe(List.of(READINGS, REPARTITION), streams);
    kafka.updateBeginningOffsets(Map.of(A, 0L, B, 0L, R, 0L));
    kafka.rebalance(List.of(A, B, R));
  }

  @Test
  void shouldReturnOnlyReleasedRecordsWithNextOffsetsThatSkipNoHeldRecord() {
    add(A, 0, 1);
    add(A, 1, 5);
    add(B, 0, 2);
    add(R, 0, 100);

    ConsumerRecords<byte[], byte[]> polled = consumer.poll(POLL);

    assertThat(offsets(polled, A)).containsExactly(0L);
    assertThat(offsets(polled, B)).containsExactly(0L);
    assertThat(offsets(polled, R)).containsExactly(0L);
    assertThat(polled.nextOffsets())
        .containsExactlyInAnyOrderEntriesOf(Map.of(A, offset(1), B, offset(1), R, offset(1)));
    // A@5 waits for B's next record: to Streams, A's consumer has not fetched it yet.
    assertThat(consumer.position(A)).isEqualTo(1);
    assertThat(consumer.position(A, Duration.ZERO)).isEqualTo(1);
    assertThat(kafka.position(A)).isEqualTo(2);
    assertThat(consumer.position(B)).isEqualTo(1);
  }

  @Test
  void shouldPassOtherTopicsOnWhileSourcePartitionsWait() {
    kafka.updateEndOffsets(Map.of(A, 1L, B, 5L));
    add(A, 0, 1);
    add(R, 0, 100);

    ConsumerRecords<byte[], byte[]> polled = consumer.poll(POLL);

    // B has records but has fetched none yet, so A waits; the repartition topic is never held.
    assertThat(polled.partitions()).containsExactly(R);
    assertThat(polled.nextOffsets()).containsOnlyKeys(R);
    assertThat(gate.heldRecords(consumer)).containsOnlyKeys(A);
  }

  @Test
  void shouldReportNoLagForAPartitionWithHeldRecords() {
    kafka.updateEndOffsets(Map.of(A, 5L, B, 5L));
    add(A, 0, 1);
    add(A, 1, 5);
    add(B, 0, 2);
    consumer.poll(POLL);

    // Its held records are later than anything released, so a task need not wait for them.
    assertThat(consumer.currentLag(A)).isEqualTo(OptionalLong.of(0));
    assertThat(consumer.currentLag(B)).isEqualTo(OptionalLong.of(4));
  }

  @Test
  void shouldLetStreamsCommitTheRevokedPartitionsBeforeDroppingTheirHeldRecords() {
    add(A, 0, 1);
    add(A, 1, 5);
    add(B, 0, 2);
    consumer.poll(POLL);

    kafka.rebalance(List.of(B, R));

    assertThat(streams.revoked).containsExactly(A);
    assertThat(streams.positionsWhenRevoked).containsExactly(1L);
    assertThat(gate.firstHeld(A)).isEmpty();
    assertThat(gate.heldNow()).isZero();
    assertThat(gate.partitionsOf(consumer)).containsExactly(B);
  }

  @Test
  void shouldDropHeldRecordsWhenSought() {
    add(A, 0, 1);
    add(A, 1, 5);
    add(B, 0, 2);
    consumer.poll(POLL);

    consumer.seek(A, 0);

    assertThat(gate.firstHeld(A)).isEmpty();
    assertThat(consumer.position(A)).isZero();
    assertThat(gate.heldRecords(consumer)).isEmpty();
  }

  @Test
  void shouldStopFetchingAPartitionThatHoldsTooMuchWithoutChangingStreamsPauses() {
    add(A, 0, 1);
    for (int i = 0; i < 6; i++) {
      add(B, i, 100 + i);
    }
    assertThat(offsets(consumer.poll(POLL), A)).containsExactly(0L);
    // Six held records of B are more than twice max.poll.records (2): B is no longer fetched.
    consumer.poll(POLL);
    assertThat(kafka.paused()).containsExactly(B);
    assertThat(consumer.paused()).isEmpty();

    consumer.pause(List.of(A, B));
    consumer.resume(List.of(B));
    assertThat(consumer.paused()).containsExactly(A);
    assertThat(kafka.paused()).containsExactlyInAnyOrder(A, B);
    consumer.resume(List.of(A));
    assertThat(kafka.paused()).containsExactly(B);

    // A moves on, and once A@1 is committed B's records pass, two per poll; with two left, B is
    // fetched again.
    add(A, 1, 200);
    assertThat(offsets(consumer.poll(POLL), B)).isEmpty();
    consumer.commitSync();
    assertThat(offsets(consumer.poll(POLL), B)).containsExactly(0L, 1L);
    assertThat(offsets(consumer.poll(POLL), B)).containsExactly(2L, 3L);
    assertThat(kafka.paused()).containsExactly(B);
    consumer.poll(POLL);
    assertThat(kafka.paused()).isEmpty();
  }

  @Test
  void shouldNotReleaseRecordsOfPartitionsThatStreamsPaused() {
    add(A, 0, 1);
    add(A, 1, 3.5);
    add(B, 0, 2);
    consumer.poll(POLL);
    assertThat(gate.firstHeld(A)).map(ConsumerRecord::offset).contains(1L);

    consumer.pause(List.of(A));
    add(B, 1, 4);
    ConsumerRecords<byte[], byte[]> polled = consumer.poll(POLL);

    // A's task takes nothing now: its held record stays held, and still bounds B.
    assertThat(polled.isEmpty()).isTrue();
    assertThat(polled.nextOffsets()).isEmpty();
    assertThat(gate.firstHeld(B)).map(ConsumerRecord::offset).contains(1L);
    consumer.resume(List.of(A));
    consumer.commitSync();
    assertThat(offsets(consumer.poll(POLL), A)).containsExactly(1L);
  }

  @Test
  void shouldCommitHeldPartitionsAtTheirFirstHeldRecord() {
    add(A, 0, 1);
    add(A, 1, 5);
    add(A, 2, 6);
    add(B, 0, 2);
    consumer.poll(POLL);

    consumer.commitSync();

    assertThat(kafka.committed(Set.of(A, B)))
        .containsEntry(A, new OffsetAndMetadata(1, Optional.of(3), ""))
        .containsEntry(B, new OffsetAndMetadata(1));
  }

  @Test
  void shouldTellTheGateWhatItCommitsSoThatTheFrontierMovesOn() {
    add(A, 0, 1);
    add(A, 1, 1.5);
    add(B, 0, 2);
    consumer.poll(POLL);
    assertThat(board.publishedFrontier(A)).isEqualTo(1_000);

    consumer.commitSync(Map.of(A, new OffsetAndMetadata(1)));

    assertThat(board.published.get(A)).isEqualTo(new SharedPositions.Published(1, 1_500));
  }

  @Test
  void shouldPassRecordsAsTheyAreFetchedOnceEveryPartitionHasCaughtUp() {
    kafka.updateEndOffsets(Map.of(A, 1L, B, 1L));
    add(A, 0, 1);
    add(B, 0, 50);
    assertThat(offsets(consumer.poll(POLL), A)).containsExactly(0L);
    consumer.commitSync();
    // A is at its end, so it holds B back no more.
    assertThat(offsets(consumer.poll(POLL), B)).containsExactly(0L);
    consumer.commitSync();
    // Caught up at the next check of the version, and a second later alignment is off.
    nanos.addAndGet(Duration.ofMillis(100).toNanos());
    consumer.poll(POLL);
    nanos.addAndGet(Duration.ofMillis(1_100).toNanos());
    consumer.poll(POLL);
    assertThat(gate.aligning()).isFalse();

    // As fetched, within half the skew of each other (a fetch further ahead aligns again).
    kafka.updateEndOffsets(Map.of(A, 2L, B, 2L));
    add(B, 1, 0);
    add(A, 1, 0.4);
    ConsumerRecords<byte[], byte[]> polled = consumer.poll(POLL);
    assertThat(offsets(polled, A)).containsExactly(1L);
    assertThat(offsets(polled, B)).containsExactly(1L);
    assertThat(gate.heldTotal()).isEqualTo(1);
  }

  @Test
  void shouldNotWaitForAPartitionWithNothingToFetch() {
    // A's records before 3 were deleted, and it has none after: it is at its end from the start.
    kafka.updateBeginningOffsets(Map.of(A, 3L));
    kafka.updateEndOffsets(Map.of(A, 3L, B, 5L));
    kafka.seekToBeginning(List.of(A));
    add(B, 0, 2);

    assertThat(offsets(consumer.poll(POLL), B)).containsExactly(0L);
  }

  @Test
  void shouldLeaveTheGateWhenClosed() {
    add(A, 0, 1);
    add(A, 1, 5);
    add(B, 0, 2);
    consumer.poll(POLL);

    consumer.close();

    assertThat(gate.partitionsOf(consumer)).isEmpty();
    assertThat(gate.heldNow()).isZero();
  }

  @Test
  void shouldRegisterPartitionsOfASubscriptionWithoutListener() {
    MockConsumer<byte[], byte[]> other = new MockConsumer<>("earliest");
    PacedConsumer unlistened = new PacedConsumer(other, gate, 10);

    unlistened.subscribe(List.of(READINGS));
    other.rebalance(List.of(A));

    assertThat(gate.partitionsOf(unlistened)).containsExactly(A);
    unlistened.unsubscribe();
    assertThat(gate.partitionsOf(unlistened)).isEmpty();
  }

  @Test
  void shouldAskTheClusterWhetherACoInputIsFetchedToItsEndBeforeItsSourceRunsAhead() {
    // A join's task: A is one side, R the other, arriving through the repartition topic.
    EventTimeGate joinGate =
        new EventTimeGate(
            RecordTimes.of(
                List.of(
                    Source.of(
                        READINGS,
                        Codec.of(byte[].class, Serdes.ByteArray()),
                        Codec.of(byte[].class, Serdes.ByteArray()))),
                Map.of(READINGS, Set.of(REPARTITION))),
            new TestBoard(A),
            Duration.ofSeconds(1),
            10,
            nanos::get);
    kafka = new MockConsumer<>("earliest");
    PacedConsumer join = new PacedConsumer(kafka, joinGate, 2);
    join.subscribe(List.of(READINGS, REPARTITION));
    kafka.updateBeginningOffsets(Map.of(A, 0L, R, 0L));
    kafka.rebalance(List.of(A, R));
    // R holds a committed record that this consumer has not fetched yet.
    kafka.updateEndOffsets(Map.of(A, 1L, R, 1L));
    add(A, 0, 5);

    assertThat(join.poll(POLL).isEmpty()).isTrue();
    assertThat(joinGate.heldRecords(join)).containsOnlyKeys(A);

    add(R, 0, 4.5);
    assertThat(offsets(join.poll(POLL), R)).containsExactly(0L);
    // Fetched to its end now, and what it passed on is within the skew of A@5.
    assertThat(offsets(join.poll(POLL), A)).containsExactly(0L);
  }

  private void add(TopicPartition partition, long offset, double seconds) {
    kafka.addRecord(
        new ConsumerRecord<>(
            partition.topic(),
            partition.partition(),
            offset,
            Math.round(seconds * 1000),
            TimestampType.CREATE_TIME,
            0,
            0,
            new byte[0],
            new byte[0],
            new RecordHeaders(),
            Optional.of(3)));
  }

  private static OffsetAndMetadata offset(long offset) {
    return new OffsetAndMetadata(offset, Optional.of(3), "");
  }

  private static List<Long> offsets(ConsumerRecords<byte[], byte[]> records, TopicPartition tp) {
    return records.records(tp).stream().map(ConsumerRecord::offset).toList();
  }

  /** Stands in for Kafka Streams' listener: notes what it saw when partitions were revoked. */
  private final class StreamsListener implements ConsumerRebalanceListener {
    final List<TopicPartition> revoked = new ArrayList<>();
    final List<Long> positionsWhenRevoked = new ArrayList<>();

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      for (TopicPartition partition : partitions) {
        revoked.add(partition);
        positionsWhenRevoked.add(consumer.position(partition));
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
  }
}
