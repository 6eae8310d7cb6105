package dev.kappa.reprocessing.deadletter.internal;

import dev.kappa.topology.KappaException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads ranges of offsets of single partitions, as committed: under {@code read_committed}, the
 * letters of aborted transactions and the transaction markers take offsets but are never returned,
 * and a range ends at most at the last stable offset.
 *
 * <p>Not thread-safe, like the consumer it wraps: one call uses one reader and closes it.
 */
public final class PartitionReader implements AutoCloseable {

  private static final Duration POLL = Duration.ofMillis(200);

  private final Consumer<byte[], byte[]> consumer;
  private final Duration timeout;

  /**
   * A reader with a consumer of its own, made from {@code clientSettings} (the cluster and its
   * security settings), that waits at most {@code timeout} for one range.
   */
  public PartitionReader(Map<String, Object> clientSettings, String clientId, Duration timeout) {
    Map<String, Object> config = new HashMap<>(clientSettings);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // Reading a topic must never create it.
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.timeout = timeout;
  }

  /** The first offset of each partition. */
  public Map<TopicPartition, Long> beginnings(Collection<TopicPartition> partitions) {
    return consumer.beginningOffsets(partitions, timeout);
  }

  /** The last stable offset of each partition: where its committed records end. */
  public Map<TopicPartition, Long> ends(Collection<TopicPartition> partitions) {
    return consumer.endOffsets(partitions, timeout);
  }

  /** The committed records of {@code partition} from offset {@code from} up to {@code to}. */
  public List<ConsumerRecord<byte[], byte[]>> read(TopicPartition partition, long from, long to) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    if (from >= to) {
      return records;
    }
    consumer.assign(List.of(partition));
    consumer.seek(partition, from);
    Instant deadline = Instant.now().plus(timeout);
    while (consumer.position(partition, timeout) < to) {
      requireTime(partition, from, to, deadline);
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
        if (record.offset() < to) {
          records.add(record);
        }
      }
    }
    return records;
  }

  /**
   * The committed records of {@code partition} at {@code offsets}, by offset; an offset that holds
   * no committed record (a transaction marker, an aborted record) is not in the answer. Each offset
   * must be below the partition's last stable offset.
   */
  public Map<Long, ConsumerRecord<byte[], byte[]>> readAt(
      TopicPartition partition, NavigableSet<Long> offsets) {
    Map<Long, ConsumerRecord<byte[], byte[]>> found = new HashMap<>();
    consumer.assign(List.of(partition));
    Instant deadline = Instant.now().plus(timeout);
    for (long offset : offsets) {
      if (found.containsKey(offset)) {
        continue;
      }
      if (consumer.position(partition, timeout) != offset) {
        consumer.seek(partition, offset);
      }
      // One fetch often brings the next offsets asked for too.
      while (consumer.position(partition, timeout) <= offset) {
        requireTime(partition, offset, offset + 1, deadline);
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          if (offsets.contains(record.offset())) {
            found.put(record.offset(), record);
          }
        }
      }
    }
    return found;
  }

  private void requireTime(TopicPartition partition, long from, long to, Instant deadline) {
    if (Instant.now().isAfter(deadline)) {
      throw new KappaException(
          "Cannot read offsets "
              + from
              + " to "
              + to
              + " of "
              + partition
              + " within "
              + timeout
              + ": at offset "
              + consumer.position(partition, timeout)
              + ". Is the cluster reachable?");
    }
  }

  @Override
  public void close() {
    consumer.close(CloseOptions.timeout(timeout));
  }
}
