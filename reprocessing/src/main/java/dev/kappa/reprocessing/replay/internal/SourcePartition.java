package dev.kappa.reprocessing.replay.internal;

import java.util.ArrayDeque;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * A source partition assigned to a consumer of this instance, as its {@link EventTimeGate} follows
 * it: the records fetched and held, those released and not committed yet, the last one committed,
 * and where it stands against the low watermark. Not thread-safe: the gate's lock guards it.
 */
final class SourcePartition {

  /** The time of a record whose time has not been read. */
  static final long NOT_READ = Long.MIN_VALUE + 1;

  final TopicPartition partition;
  final Object owner;

  /** Fetched and not released to Kafka Streams yet, with their times. */
  final ArrayDeque<Held> held = new ArrayDeque<>();

  /** Released to Kafka Streams and not committed yet. */
  final ArrayDeque<Held> inFlight = new ArrayDeque<>();

  @Nullable Held lastCommitted;
  long committed = -1;
  long lag = -1;
  long maxTime = RecordTimes.NO_TIME;

  /** The consumer's own next offset after the last records it fetched. */
  @Nullable OffsetAndMetadata consumerNext;

  boolean nextUnreported;
  int fetchedSinceRelease;
  private long publishedCommitted = -1;
  private long publishedFrontier = Watermark.UNKNOWN;

  SourcePartition(TopicPartition partition, Object owner) {
    this.partition = partition;
    this.owner = owner;
  }

  /** Records of this partition that Kafka Streams has not been given yet: held, and not fetched. */
  long behindBy() {
    return Math.max(0, lag) + held.size();
  }

  /** Notes that everything before {@code offset} is committed. */
  void committed(long offset) {
    committed = offset;
    while (!inFlight.isEmpty() && inFlight.peekFirst().record.offset() < offset) {
      lastCommitted = inFlight.removeFirst();
    }
  }

  /** Forgets what was in flight, as when its consumer is sought elsewhere. */
  void restart() {
    inFlight.clear();
    committed = -1;
    lastCommitted = null;
  }

  /**
   * Where it stands: at its end with nothing held, in flight or left to fetch; else its frontier.
   */
  Watermark.Position position(RecordTimes times, PositionBoard board) {
    boolean atEnd = held.isEmpty() && inFlight.isEmpty() && lag == 0;
    return atEnd
        ? Watermark.Position.AT_END
        : new Watermark.Position(false, frontier(times, board));
  }

  /**
   * The event time of its first record that is not committed yet: of the records in flight, else
   * held, else of the last one committed (what follows it was appended after it), else as last
   * published by whoever ran it before.
   */
  long frontier(RecordTimes times, PositionBoard board) {
    for (Held record : inFlight) {
      long time = record.time(times);
      if (time != RecordTimes.NO_TIME) {
        return time;
      }
    }
    for (Held record : held) {
      if (record.time != RecordTimes.NO_TIME) {
        return record.time;
      }
    }
    if (lastCommitted != null) {
      long time = lastCommitted.time(times);
      if (time != RecordTimes.NO_TIME) {
        return time;
      }
    }
    return board
        .published(partition)
        .map(SharedPositions.Published::frontier)
        .orElse(Watermark.UNKNOWN);
  }

  /** Publishes its position to {@code board} if it moved since it was last published. */
  void publishIfMoved(RecordTimes times, PositionBoard board) {
    long offset = committed;
    if (offset < 0) {
      Held first = !inFlight.isEmpty() ? inFlight.peekFirst() : held.peekFirst();
      if (first == null) {
        return;
      }
      // Nothing committed since it was assigned: the consumer started at the group's offset.
      offset = first.record.offset();
    }
    long frontier = frontier(times, board);
    if (frontier == Watermark.UNKNOWN
        || (offset == publishedCommitted && frontier == publishedFrontier)) {
      return;
    }
    publishedCommitted = offset;
    publishedFrontier = frontier;
    board.publish(partition, offset, frontier);
  }

  /** A fetched record with its event time, once read. */
  static final class Held {
    final ConsumerRecord<byte[], byte[]> record;
    private long time;

    Held(ConsumerRecord<byte[], byte[]> record, long time) {
      this.record = record;
      this.time = time;
    }

    /** Its event time, read now if it was not. */
    long time(RecordTimes times) {
      if (time == NOT_READ) {
        time = times.of(record);
      }
      return time;
    }

    /** Its event time, read when it was held. */
    long time() {
      return time;
    }
  }
}
