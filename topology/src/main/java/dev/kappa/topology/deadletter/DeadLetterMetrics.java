package dev.kappa.topology.deadletter;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.processor.TaskId;

/**
 * Counts the records one Kafka Streams instance sent to its dead-letter topic, in total and by the
 * topic they were read from. The instance's exception handlers find it in their configuration under
 * {@link #CONFIG}; the runtime publishes it as metrics.
 *
 * <p>Thread-safe: the stream threads of an instance record into one object.
 */
public final class DeadLetterMetrics {

  /** The Kafka Streams configuration key under which the counter is passed to the handlers. */
  public static final String CONFIG = "kappa.dead.letter.metrics";

  private final LongAdder total = new LongAdder();
  private final ConcurrentMap<String, LongAdder> bySourceTopic = new ConcurrentHashMap<>();
  private final ConcurrentMap<Integer, LongAdder> bySubtopology = new ConcurrentHashMap<>();

  /** A counter at zero. */
  public DeadLetterMetrics() {}

  /**
   * The counter in a Kafka Streams configuration.
   *
   * @throws ConfigException if the configuration holds none, or something else under {@link
   *     #CONFIG}
   */
  public static DeadLetterMetrics from(Map<String, ?> streamsConfig) {
    Object value = streamsConfig.get(CONFIG);
    if (!(value instanceof DeadLetterMetrics)) {
      throw new ConfigException(
          CONFIG,
          value,
          "must hold the "
              + DeadLetterMetrics.class.getName()
              + " that counts the"
              + " dead letters of this instance; build the configuration with JobConfig#streamsConfig");
    }
    return (DeadLetterMetrics) value;
  }

  void record(String sourceTopic, TaskId task) {
    total.increment();
    bySourceTopic.computeIfAbsent(sourceTopic, topic -> new LongAdder()).increment();
    bySubtopology.computeIfAbsent(task.subtopology(), id -> new LongAdder()).increment();
  }

  /** The number of records sent to the dead-letter topic. */
  public long total() {
    return total.sum();
  }

  /**
   * The number of records sent to the dead-letter topic, by the sub-topology whose task sent them
   * (Kafka Streams counts them among that task's dropped records).
   */
  public Map<Integer, Long> bySubtopology() {
    Map<Integer, Long> counts = new TreeMap<>();
    bySubtopology.forEach((id, count) -> counts.put(id, count.sum()));
    return counts;
  }

  /** The number of records sent to the dead-letter topic, by the topic they were read from. */
  public Map<String, Long> bySourceTopic() {
    Map<String, Long> counts = new TreeMap<>();
    bySourceTopic.forEach((topic, count) -> counts.put(topic, count.sum()));
    return counts;
  }
}
