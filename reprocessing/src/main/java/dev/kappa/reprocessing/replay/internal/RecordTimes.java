package dev.kappa.reprocessing.replay.internal;

import dev.kappa.topology.JobTopology;
import dev.kappa.topology.Source;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.TopologyDescription;
import org.jspecify.annotations.Nullable;

/**
 * The event time of a source record as the job sees it, read from its bytes before Kafka Streams
 * reads it: the source's event-time function applied to the deserialized value, or the record
 * timestamp for a source that declares none.
 *
 * <p>A record whose value cannot be read or is refused (see {@link Source#valueDeserializer()}), is
 * absent or has no time has {@link #NO_TIME}: the job sends it to its dead-letter topic or treats
 * it by its record timestamp, which for a bulk-loaded topic says nothing about event time, so
 * alignment lets it through at once instead of holding a partition behind a time it does not have.
 *
 * <p>It also knows the <em>co-inputs</em> of each source: the repartition topics that the
 * sub-topology reading the source reads beside it, as a join reads one side from its source and the
 * other from a repartition topic. Their records are timed by their timestamp, which Kafka Streams
 * sets to the event time of what it wrote there.
 *
 * <p>Reading the time deserializes the value a second time (Kafka Streams deserializes it again to
 * process it); this is the cost of alignment per record, and only paid while a version aligns.
 * Thread-safe as far as the sources' deserializers are (Kafka's and Jackson's are).
 */
public final class RecordTimes {

  /** The time of a record that has none the job could read. */
  public static final long NO_TIME = Long.MIN_VALUE;

  private final Map<String, TimeOf> byTopic;
  private final Map<String, Set<String>> coInputs;
  private final Set<String> coInputTopics = new HashSet<>();

  private RecordTimes(Map<String, TimeOf> byTopic, Map<String, Set<String>> coInputs) {
    this.byTopic = Map.copyOf(byTopic);
    this.coInputs = Map.copyOf(coInputs);
    coInputs.values().forEach(coInputTopics::addAll);
  }

  /** The times of the records of {@code sources}, which have no co-inputs. */
  public static RecordTimes of(List<Source<?, ?>> sources) {
    return of(sources, Map.of());
  }

  /**
   * The times of the records of {@code sources}, whose co-inputs are {@code coInputs}: the
   * repartition topics read beside each source topic, by source topic.
   *
   * @throws IllegalArgumentException if a topic with co-inputs is not a source
   */
  public static RecordTimes of(List<Source<?, ?>> sources, Map<String, Set<String>> coInputs) {
    Map<String, TimeOf> byTopic = new HashMap<>();
    for (Source<?, ?> source : sources) {
      byTopic.put(source.topic(), timeOf(source));
    }
    for (String source : coInputs.keySet()) {
      if (!byTopic.containsKey(source)) {
        throw new IllegalArgumentException(
            "Topic '"
                + source
                + "' has co-inputs but is not a source; the sources are "
                + byTopic.keySet());
      }
    }
    Map<String, Set<String>> copied = new HashMap<>();
    coInputs.forEach((source, topics) -> copied.put(source, Set.copyOf(topics)));
    return new RecordTimes(byTopic, copied);
  }

  /**
   * The times of the records of {@code topology}'s sources, and of their co-inputs: the repartition
   * topics, named after the topology's application id, that a sub-topology reads beside a source.
   */
  public static RecordTimes of(JobTopology topology) {
    List<Source<?, ?>> sources = topology.job().sources();
    Set<String> sourceTopics = new HashSet<>();
    sources.forEach(source -> sourceTopics.add(source.topic()));
    Map<String, Set<String>> coInputs = new HashMap<>();
    for (TopologyDescription.Subtopology subtopology :
        topology.topology().describe().subtopologies()) {
      Set<String> read = new HashSet<>();
      Set<String> repartitions = new HashSet<>();
      for (TopologyDescription.Node node : subtopology.nodes()) {
        if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
          for (String topic : source.topicSet()) {
            if (sourceTopics.contains(topic)) {
              read.add(topic);
            } else if (topic.endsWith("-repartition")) {
              repartitions.add(topology.applicationId() + "-" + topic);
            }
          }
        }
      }
      if (!repartitions.isEmpty()) {
        read.forEach(
            topic -> coInputs.computeIfAbsent(topic, t -> new HashSet<>()).addAll(repartitions));
      }
    }
    return of(sources, coInputs);
  }

  private static <V> TimeOf timeOf(Source<?, V> source) {
    Function<V, @Nullable Instant> eventTime = source.eventTime();
    if (eventTime == null) {
      return ConsumerRecord::timestamp;
    }
    // Refuses what the job's source refuses: a record it dead-letters has no time.
    Deserializer<V> values = source.valueDeserializer();
    return record -> {
      if (record.value() == null) {
        return NO_TIME;
      }
      try {
        V value = values.deserialize(record.topic(), record.headers(), record.value());
        Instant time = value == null ? null : eventTime.apply(value);
        return time == null ? NO_TIME : time.toEpochMilli();
      } catch (RuntimeException unreadable) {
        // The job's deserialization handler sends it to the dead-letter topic.
        return NO_TIME;
      }
    };
  }

  /**
   * The event time of {@code record} in milliseconds since the epoch, or {@link #NO_TIME}.
   *
   * @throws IllegalArgumentException if its topic is neither a source nor a co-input
   */
  public long of(ConsumerRecord<byte[], byte[]> record) {
    if (coInputTopics.contains(record.topic())) {
      return record.timestamp() < 0 ? NO_TIME : record.timestamp();
    }
    TimeOf time = byTopic.get(record.topic());
    if (time == null) {
      throw new IllegalArgumentException(
          "Topic '"
              + record.topic()
              + "' is neither a source nor a co-input; the sources are "
              + byTopic.keySet());
    }
    return time.of(record);
  }

  /** Whether {@code topic} is a source. */
  public boolean isSource(String topic) {
    return byTopic.containsKey(topic);
  }

  /** Whether {@code topic} is a co-input of a source. */
  public boolean isCoInput(String topic) {
    return coInputTopics.contains(topic);
  }

  /** The co-inputs of the source {@code topic}: none if it has none or is not a source. */
  public Set<String> coInputsOf(String topic) {
    return coInputs.getOrDefault(topic, Set.of());
  }

  @FunctionalInterface
  private interface TimeOf {
    long of(ConsumerRecord<byte[], byte[]> record);
  }
}
