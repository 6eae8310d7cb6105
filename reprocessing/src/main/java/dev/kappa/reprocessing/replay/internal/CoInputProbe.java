package dev.kappa.reprocessing.replay.internal;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the cluster whether the co-input partitions that hold back a source record of a {@link
 * PacedConsumer} are fetched to their end (see {@link EventTimeGate#coInputsToCheck}), since a
 * consumer's own idea of its lag is only as fresh as its last fetch.
 */
final class CoInputProbe {

  /** The longest a check of the co-inputs' end offsets may take before it is given up for now. */
  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(CoInputProbe.class);

  private CoInputProbe() {}

  /**
   * Asks for the end offsets of the co-input partitions of {@code owner} that hold back a record of
   * a partition not in {@code paused}, and tells {@code gate} which of them {@code consumer} has
   * fetched to their end. If the cluster does not answer in time, they stay as they were.
   */
  static void check(
      Consumer<byte[], byte[]> consumer,
      EventTimeGate gate,
      Object owner,
      Set<TopicPartition> paused) {
    Optional<CoInputs.Check> check = gate.coInputsToCheck(owner, paused);
    if (check.isEmpty()) {
      return;
    }
    Set<TopicPartition> drained = new HashSet<>();
    try {
      Map<TopicPartition, Long> ends = consumer.endOffsets(check.get().partitions(), CHECK_TIMEOUT);
      for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
        if (end.getValue() != null
            && consumer.position(end.getKey(), CHECK_TIMEOUT) >= end.getValue()) {
          drained.add(end.getKey());
        }
      }
    } catch (WakeupException | InterruptException e) {
      throw e;
    } catch (KafkaException e) {
      log.debug("Cannot check co-inputs {}: {}", check.get().partitions(), e.toString());
      return;
    }
    gate.coInputsDrained(owner, check.get().watermark(), drained);
  }
}
