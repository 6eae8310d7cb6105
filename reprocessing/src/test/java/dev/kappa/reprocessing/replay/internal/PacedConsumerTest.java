package dev.kappa.reprocessing.replay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The consumer as Kafka Streams sees it, over Kafka's in-memory {@link MockConsumer}: what a poll
 * returns, and the position, lag, pauses and commits that decide what Streams commits. Log
 * timestamps are in seconds, with no skew allowed.
 */
class PacedConsumerTest {

  private static final String READINGS = "readings";
  private static final String REPARTITION = "job-by-node-repartition";
  private static final TopicPartition A = new TopicPartition(READINGS, 0);
  private static final TopicPartition B = new TopicPartition(READINGS, 1);
  private static final TopicPartition R = new TopicPartition(REPARTITION, 0);
  private static final long FAR = 1_000_000;
  private static final Duration POLL = Duration.ofMillis(10);

  private final StreamsListener streams = new StreamsListener();
  private MockConsumer<byte[], byte[]> kafka;
  private EventTimeGate gate;
  private PacedConsumer consumer;

  @BeforeEach
  void assignPartitions() {
    start(Map.of(A, FAR, B, FAR));
  }

  /**
   * A paced consumer with {@code targets}, at 2 records a poll, assigned A, B and R (from offset 0)
   * as Kafka Streams would be.
   */
  private void start(Map<TopicPartition, Long> targets) {
    kafka = new MockConsumer<>("earliest");
    gate = new EventTimeGate(Duration.ZERO, targets);
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
    add(A, 0, 1);
    add(R, 0, 100);

    ConsumerRecords<byte[], byte[]> polled = consumer.poll(POLL);

    // B has fetched nothing yet, so A waits; the repartition topic is never paced.
    assertThat(polled.partitions()).containsExactly(R);
    assertThat(polled.nextOffsets()).containsOnlyKeys(R);
    assertThat(gate.waitingFor()).containsExactly(B);
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
    assertThat(gate.replayingPartitions()).containsExactly(B);
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
    assertThat(gate.waitingFor()).containsExactly(A);
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

    // A moves on, so B's records pass, two per poll; with two left, B is fetched again.
    add(A, 1, 200);
    assertThat(offsets(consumer.poll(POLL), B)).containsExactly(0L, 1L);
    assertThat(offsets(consumer.poll(POLL), B)).containsExactly(2L, 3L);
    assertThat(kafka.paused()).containsExactly(B);
    consumer.poll(POLL);
    assertThat(kafka.paused()).isEmpty();
  }

  @Test
  void shouldNotReleaseRecordsOfPartitionsThatStreamsPaused() {
    add(A, 0, 1);
    add(A, 1, 3);
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
  void shouldPassEverythingOnOnceEveryPartitionReachedItsTarget() {
    start(Map.of(A, 1L, B, 2L));
    add(A, 0, 1);
    add(B, 0, 50);
    add(B, 1, 60);

    ConsumerRecords<byte[], byte[]> polled = consumer.poll(POLL);

    // A reached its target with its first record; B's second waits only for a poll with room.
    assertThat(offsets(polled, A)).containsExactly(0L);
    assertThat(offsets(polled, B)).containsExactly(0L);
    assertThat(gate.isActive()).isTrue();
    assertThat(offsets(consumer.poll(POLL), B)).containsExactly(1L);
    assertThat(gate.isActive()).isFalse();
    add(B, 2, 0);
    add(A, 1, 500);
    polled = consumer.poll(POLL);
    assertThat(offsets(polled, A)).containsExactly(1L);
    assertThat(offsets(polled, B)).containsExactly(2L);
    assertThat(gate.heldTotal()).isEqualTo(1);
  }

  @Test
  void shouldNotWaitForAPartitionThatStartsAtItsTarget() {
    start(Map.of(A, 3L, B, FAR));
    // A's records before 3 were deleted: it starts at its target, and never fetches a record.
    kafka.updateBeginningOffsets(Map.of(A, 3L));
    kafka.seekToBeginning(List.of(A));
    add(B, 0, 2);

    assertThat(offsets(consumer.poll(POLL), B)).containsExactly(0L);
    assertThat(gate.replayingPartitions()).containsExactly(B);
  }

  @Test
  void shouldLeaveTheGateWhenClosed() {
    add(A, 0, 1);
    add(A, 1, 5);
    add(B, 0, 2);
    consumer.poll(POLL);

    consumer.close();

    assertThat(gate.replayingPartitions()).isEmpty();
    assertThat(gate.heldNow()).isZero();
  }

  @Test
  void shouldRegisterPartitionsOfASubscriptionWithoutListener() {
    MockConsumer<byte[], byte[]> other = new MockConsumer<>("earliest");
    EventTimeGate shared = new EventTimeGate(Duration.ZERO, Map.of(A, FAR));
    PacedConsumer unlistened = new PacedConsumer(other, shared, 10);

    unlistened.subscribe(List.of(READINGS));
    other.rebalance(List.of(A));

    assertThat(shared.replayingPartitions()).containsExactly(A);
    unlistened.unsubscribe();
    assertThat(shared.replayingPartitions()).isEmpty();
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
