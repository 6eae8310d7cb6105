package dev.kappa.reprocessing.replay.internal;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * The rules of alignment, apart from where their inputs come from.
 *
 * <p>Every source partition of a version has a <em>frontier</em>: the event time of its first
 * record that is not yet committed (under exactly-once, what a crash would make the version process
 * again, after whatever the other partitions sent on meanwhile). The <em>low watermark</em> is the
 * smallest frontier of the partitions that are not at their end. A record is released to Kafka
 * Streams only when its event time is at most {@code maxSkew} after the low watermark. Then no
 * aggregation downstream, on any instance, sees stream time run more than {@code maxSkew} plus the
 * disorder inside one partition ahead of a record that is still to come: with {@code maxSkew +
 * disorder <= grace}, nothing valid is dropped as late.
 *
 * <ul>
 *   <li>A partition at its end (its committed offset has reached its end offset) holds nothing
 *       back: empty and idle partitions never stall the others.
 *   <li>A partition that is not at its end and whose frontier is not known (nothing fetched from it
 *       yet, and nothing published for it) holds everything back: {@link #UNKNOWN}.
 *   <li>With no partition holding, the watermark is {@link #NONE} and everything passes.
 * </ul>
 */
public final class Watermark {

  /** The watermark, or a frontier, that nobody knows yet: nothing timed passes. */
  public static final long UNKNOWN = Long.MIN_VALUE;

  /** The watermark when no partition holds anything back: everything passes. */
  public static final long NONE = Long.MAX_VALUE;

  private Watermark() {}

  /**
   * Where one source partition stands.
   *
   * @param atEnd whether everything in it is committed, so that it holds nothing back
   * @param frontier the event time of its first record not yet committed, or {@link #UNKNOWN}
   */
  public record Position(boolean atEnd, long frontier) {

    /** A partition whose committed offset has reached its end offset. */
    public static final Position AT_END = new Position(true, UNKNOWN);

    /** A partition committed up to {@code committed} of {@code end}, with {@code frontier}. */
    public static Position of(long committed, long end, long frontier) {
      return committed >= end ? AT_END : new Position(false, frontier);
    }
  }

  /**
   * The low watermark of {@code positions}: the smallest frontier of those not at their end, with
   * the partition that has it and the smallest frontier of the others.
   */
  public static Low of(Map<TopicPartition, Position> positions) {
    long lowest = NONE;
    long second = NONE;
    TopicPartition slowest = null;
    for (Map.Entry<TopicPartition, Position> entry : positions.entrySet()) {
      Position position = entry.getValue();
      if (position.atEnd()) {
        continue;
      }
      if (position.frontier() == UNKNOWN) {
        return new Low(UNKNOWN, null, UNKNOWN);
      }
      if (position.frontier() < lowest) {
        second = lowest;
        lowest = position.frontier();
        slowest = entry.getKey();
      } else if (position.frontier() < second) {
        second = position.frontier();
      }
    }
    return new Low(lowest, lowest == second ? null : slowest, second);
  }

  /**
   * A low watermark.
   *
   * @param value the smallest frontier, {@link #UNKNOWN} or {@link #NONE}
   * @param slowest the one partition with the smallest frontier; null if none or several have it
   * @param others the smallest frontier of every partition but {@code slowest}
   */
  public record Low(long value, @Nullable TopicPartition slowest, long others) {

    /**
     * The watermark that bounds the records of {@code partition}: the smallest frontier of the
     * other partitions. A partition's own records reach every step after its earlier ones, and a
     * crash discards what it had not committed, so it need not wait for itself.
     */
    public long excluding(TopicPartition partition) {
      return partition.equals(slowest) ? others : value;
    }
  }

  /**
   * The latest event time released under {@code watermark}: {@link #UNKNOWN} releases nothing
   * timed, {@link #NONE} everything.
   */
  public static long limit(long watermark, long maxSkewMs) {
    if (watermark == UNKNOWN || watermark == NONE) {
      return watermark;
    }
    return watermark > NONE - maxSkewMs ? NONE : watermark + maxSkewMs;
  }

  /**
   * Whether a record at event time {@code time} is released under {@code limit}; a record without a
   * time ({@link RecordTimes#NO_TIME}) always is.
   */
  public static boolean releases(long time, long limit) {
    if (time == RecordTimes.NO_TIME) {
      return true;
    }
    return limit != UNKNOWN && time <= limit;
  }
}
