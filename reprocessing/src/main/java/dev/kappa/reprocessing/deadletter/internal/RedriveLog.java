package dev.kappa.reprocessing.deadletter.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.kappa.reprocessing.deadletter.DeadLetterId;
import dev.kappa.reprocessing.deadletter.RedriveResult.Redriven;
import dev.kappa.serde.JsonSerde;
import dev.kappa.topology.KappaException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of the letters of one job that have been re-driven: a compacted topic keyed by the {@link
 * DeadLetterId} of each letter, whose value says where its record went. Only the re-drive
 * transaction writes it, in the same transaction as the record, so that a letter is in the log if
 * and only if its record was sent; it is read {@code read_committed}.
 */
public final class RedriveLog {

  private static final Logger log = LoggerFactory.getLogger(RedriveLog.class);
  private static final JsonSerde<Entry> ENTRIES = JsonSerde.of(Entry.class);

  private final String topic;

  /** The log in {@code topic}. */
  public RedriveLog(String topic) {
    this.topic = topic;
  }

  /** The log's topic. */
  public String topic() {
    return topic;
  }

  /**
   * Where the record of a re-driven letter went.
   *
   * @param topic the source topic it was sent to
   * @param partition its partition there
   * @param offset its offset there
   */
  public record Entry(String topic, int partition, long offset) {}

  /**
   * Creates the topic (compacted, one partition) if it does not exist.
   *
   * @throws KappaException if it exists with a retention that deletes entries, or the cluster does
   *     not answer
   */
  public void prepare(Admin admin) {
    try {
      if (exists(admin)) {
        requireCompacted(admin);
      } else {
        create(admin);
      }
    } catch (ExecutionException e) {
      throw cannotPrepare(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KappaException("Interrupted while preparing the re-drive log '" + topic + "'", e);
    }
  }

  private boolean exists(Admin admin) throws ExecutionException, InterruptedException {
    try {
      admin.describeTopics(Set.of(topic)).allTopicNames().get();
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return false;
      }
      throw e;
    }
  }

  private void create(Admin admin) throws InterruptedException {
    NewTopic newTopic =
        new NewTopic(topic, Optional.of(1), Optional.empty())
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    try {
      admin.createTopics(List.of(newTopic)).all().get();
      log.info("Created the re-drive log '{}' (compacted, one partition)", topic);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw cannotPrepare(e.getCause());
      }
    }
  }

  private void requireCompacted(Admin admin) throws ExecutionException, InterruptedException {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Config config = admin.describeConfigs(Set.of(resource)).all().get().get(resource);
    String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
    if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)
        || policy.contains(TopicConfig.CLEANUP_POLICY_DELETE)) {
      throw new KappaException(
          "Cannot use '"
              + topic
              + "' as the re-drive log: its cleanup.policy is '"
              + policy
              + "', and retention would delete the record of re-driven letters, which could then"
              + " be sent twice. Set cleanup.policy=compact on the topic.");
    }
  }

  private KappaException cannotPrepare(Throwable cause) {
    return new KappaException(
        "Cannot prepare the re-drive log '" + topic + "': " + cause.getMessage(), cause);
  }

  /**
   * The entries of the log, by the text of their {@link DeadLetterId}, as committed; empty if the
   * topic does not exist.
   */
  public Map<String, Entry> read(Admin admin, PartitionReader reader) {
    List<TopicPartition> partitions = partitions(admin);
    Map<String, Entry> entries = new HashMap<>();
    if (partitions.isEmpty()) {
      return entries;
    }
    Map<TopicPartition, Long> beginnings = reader.beginnings(partitions);
    Map<TopicPartition, Long> ends = reader.ends(partitions);
    for (TopicPartition partition : partitions) {
      for (ConsumerRecord<byte[], byte[]> record :
          reader.read(partition, beginnings.get(partition), ends.get(partition))) {
        if (record.key() == null) {
          continue;
        }
        String key = new String(record.key(), UTF_8);
        Entry entry = record.value() == null ? null : ENTRIES.deserialize(topic, record.value());
        if (entry == null) {
          entries.remove(key);
        } else {
          entries.put(key, entry);
        }
      }
    }
    return entries;
  }

  /** The log's record for {@code redriven}. */
  public ProducerRecord<byte[], byte[]> record(Redriven redriven) {
    Entry entry = new Entry(redriven.topic(), redriven.partition(), redriven.offset());
    return new ProducerRecord<>(
        topic, redriven.letter().toString().getBytes(UTF_8), ENTRIES.serialize(topic, entry));
  }

  private List<TopicPartition> partitions(Admin admin) {
    try {
      TopicDescription description =
          admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic);
      return description.partitions().stream()
          .map(info -> new TopicPartition(topic, info.partition()))
          .toList();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return List.of();
      }
      throw new KappaException(
          "Cannot read the re-drive log '" + topic + "': " + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KappaException("Interrupted while reading the re-drive log '" + topic + "'", e);
    }
  }
}
