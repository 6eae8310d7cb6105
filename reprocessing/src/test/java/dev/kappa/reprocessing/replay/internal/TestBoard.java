package dev.kappa.reprocessing.replay.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/** The board of a version whose other instances are what a test says they are. */
final class TestBoard implements PositionBoard {
  private final Set<TopicPartition> sources;
  final Map<TopicPartition, SharedPositions.Published> published = new HashMap<>();
  final Map<TopicPartition, SharedPositions.Offsets> offsets = new HashMap<>();

  TestBoard(TopicPartition... sources) {
    this.sources = Set.of(sources);
  }

  long publishedFrontier(TopicPartition partition) {
    return published.get(partition).frontier();
  }

  @Override
  public Set<TopicPartition> sources() {
    return sources;
  }

  @Override
  public Optional<SharedPositions.Published> published(TopicPartition partition) {
    return Optional.ofNullable(published.get(partition));
  }

  @Override
  public Map<TopicPartition, SharedPositions.Offsets> offsets() {
    return Map.copyOf(offsets);
  }

  @Override
  public void publish(TopicPartition partition, long committed, long frontier) {
    published.put(partition, new SharedPositions.Published(committed, frontier));
  }
}
