package dev.kappa.reprocessing.replay.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the source partitions of a version stand, for an {@link EventTimeGate}: those run here as
 * the gate follows them, the others as the {@link PositionBoard} says (their published frontiers
 * and committed offsets, and the offsets asked of the cluster).
 */
final class VersionPositions {

  private VersionPositions() {}

  /**
   * Why the version is behind, if it is: a partition that lags by more than {@code lagThreshold}
   * records, or whose position is unknown.
   */
  static Optional<String> behind(
      Map<TopicPartition, SourcePartition> here, PositionBoard board, long lagThreshold) {
    Map<TopicPartition, SharedPositions.Offsets> offsets = board.offsets();
    for (TopicPartition partition : board.sources()) {
      SourcePartition state = here.get(partition);
      if (state != null) {
        if (state.lag < 0) {
          return Optional.of(partition + " has not been fetched yet");
        }
        if (state.behindBy() > lagThreshold) {
          return Optional.of(partition + " lags by " + state.behindBy() + " records");
        }
        continue;
      }
      SharedPositions.Offsets known = offsets.get(partition);
      if (known == null) {
        return Optional.of("the offsets of " + partition + " are not known yet");
      }
      long lag = known.end() - committed(partition, known, board);
      if (lag > lagThreshold) {
        return Optional.of(partition + " lags by " + lag + " records");
      }
    }
    return Optional.empty();
  }

  /** The low watermark of the version now. */
  static Watermark.Low low(
      Map<TopicPartition, SourcePartition> here, PositionBoard board, RecordTimes times) {
    Map<TopicPartition, Watermark.Position> positions = new HashMap<>();
    Map<TopicPartition, SharedPositions.Offsets> offsets = board.offsets();
    for (TopicPartition partition : board.sources()) {
      SourcePartition state = here.get(partition);
      if (state != null) {
        positions.put(partition, state.position(times, board));
        continue;
      }
      SharedPositions.Offsets known = offsets.get(partition);
      long frontier =
          board
              .published(partition)
              .map(SharedPositions.Published::frontier)
              .orElse(Watermark.UNKNOWN);
      positions.put(
          partition,
          known == null
              ? new Watermark.Position(false, frontier)
              : Watermark.Position.of(committed(partition, known, board), known.end(), frontier));
    }
    return Watermark.of(positions);
  }

  /**
   * The committed offset of a partition run elsewhere: the cluster's or the published, if later.
   */
  private static long committed(
      TopicPartition partition, SharedPositions.Offsets known, PositionBoard board) {
    return Math.max(
        known.committed(),
        board.published(partition).map(SharedPositions.Published::committed).orElse(-1L));
  }
}
