package dev.kappa.reprocessing.replay.internal;

import java.util.Collection;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

/**
 * Kafka Streams' rebalance listener as a {@link PacedConsumer} wraps it: assigned partitions join
 * the gate before it runs, and revoked or lost ones leave it (dropping their held records) after it
 * has run, because it commits the revoked tasks from the positions of their first held records.
 */
final class PacedRebalanceListener implements ConsumerRebalanceListener {

  /**
   * What a subscription without a listener of its own gets, so that the gate learns its partitions.
   */
  static final ConsumerRebalanceListener NONE =
      new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
      };

  private final ConsumerRebalanceListener listener;
  private final Consumer<Collection<TopicPartition>> join;
  private final Consumer<Collection<TopicPartition>> leave;

  /**
   * Wraps {@code listener}: {@code join} registers assigned partitions with the gate, {@code leave}
   * forgets revoked or lost ones.
   */
  PacedRebalanceListener(
      ConsumerRebalanceListener listener,
      Consumer<Collection<TopicPartition>> join,
      Consumer<Collection<TopicPartition>> leave) {
    this.listener = Objects.requireNonNull(listener, "callback");
    this.join = join;
    this.leave = leave;
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    try {
      listener.onPartitionsRevoked(partitions);
    } finally {
      leave.accept(partitions);
    }
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    join.accept(partitions);
    listener.onPartitionsAssigned(partitions);
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    try {
      listener.onPartitionsLost(partitions);
    } finally {
      leave.accept(partitions);
    }
  }
}
