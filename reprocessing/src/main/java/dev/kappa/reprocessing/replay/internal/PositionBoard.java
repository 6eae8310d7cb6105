package dev.kappa.reprocessing.replay.internal;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * What the instances of one version tell each other about its source partitions: the board an
 * {@link EventTimeGate} reads the other instances' frontiers from and publishes its own to. {@link
 * SharedPositions.Version} keeps it in Kafka.
 */
public interface PositionBoard {

  /** Every source partition of the version, on every instance. */
  Set<TopicPartition> sources();

  /** The position last published for {@code partition}, by whichever instance ran it. */
  Optional<SharedPositions.Published> published(TopicPartition partition);

  /** The committed and end offsets of the source partitions at the last check of the cluster. */
  Map<TopicPartition, SharedPositions.Offsets> offsets();

  /** Publishes the position of {@code partition}, which runs here. Returns at once. */
  void publish(TopicPartition partition, long committed, long frontier);
}
