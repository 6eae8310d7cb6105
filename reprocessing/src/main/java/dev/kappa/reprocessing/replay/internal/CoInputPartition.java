package dev.kappa.reprocessing.replay.internal;

import java.util.ArrayDeque;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A partition of a co-input (a repartition topic that a task reads beside a source partition, see
 * {@link RecordTimes}) assigned to a consumer of this instance, as its {@link EventTimeGate}
 * follows it. Its records are never held; the gate only bounds the source partition of the same
 * task by what the co-input may still bring:
 *
 * <ul>
 *   <li>the records passed to Kafka Streams and not committed yet, from the first one's time on (up
 *       to the disorder of the co-input);
 *   <li>the records not fetched yet. Those committed before the consumer last found it fetched up
 *       to its end were fetched; those committed after came from source records that were not
 *       committed then, so they are not older than the low watermark of that moment ({@link
 *       #drainedAt}), again up to the disorder.
 * </ul>
 *
 * <p>Kafka Streams cannot tell this itself: it takes a partition with nothing buffered for caught
 * up when the consumer's last fetch said so, and runs the task's other input ahead meanwhile. In a
 * replay, where event time runs many times faster than the clock, one late fetch is tens of seconds
 * of event time. Not thread-safe: the gate's lock guards it.
 */
final class CoInputPartition {

  final TopicPartition partition;
  final Object owner;

  /** The offsets and times of the records passed on and not committed yet, in offset order. */
  private final ArrayDeque<long[]> passed = new ArrayDeque<>();

  /** The low watermark before its consumer last found it fetched to its end; or unknown. */
  long drainedAt = Watermark.UNKNOWN;

  CoInputPartition(TopicPartition partition, Object owner) {
    this.partition = partition;
    this.owner = owner;
  }

  /** Notes a record passed on to Kafka Streams. */
  void passed(ConsumerRecord<byte[], byte[]> record, long time) {
    passed.addLast(new long[] {record.offset(), time});
  }

  /** Notes that everything before {@code offset} is committed. */
  void committed(long offset) {
    while (!passed.isEmpty() && passed.peekFirst()[0] < offset) {
      passed.removeFirst();
    }
  }

  /**
   * Forgets what was passed on and when it was drained, as when its consumer is sought elsewhere.
   */
  void restart() {
    passed.clear();
    drainedAt = Watermark.UNKNOWN;
  }

  /**
   * The event time that bounds what it may still bring to its task: the time of its first record
   * passed on and not committed, or {@link #drainedAt}, whichever is lower; {@link
   * Watermark#UNKNOWN} until it was found drained once.
   */
  long bound() {
    return Math.min(drainedAt, frontier());
  }

  /** The time of its first record passed on and not committed, or {@link Watermark#NONE}. */
  long frontier() {
    for (long[] record : passed) {
      if (record[1] != RecordTimes.NO_TIME) {
        return record[1];
      }
    }
    return Watermark.NONE;
  }
}
