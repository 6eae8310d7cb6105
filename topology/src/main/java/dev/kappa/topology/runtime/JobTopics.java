package dev.kappa.topology.runtime;

import dev.kappa.topology.JobTopology;
import dev.kappa.topology.KappaException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Checks and prepares the topics a job reads and writes before it starts. */
final class JobTopics {

  private static final long TIMEOUT_SECONDS = 30;

  private final Admin admin;
  private final JobTopology topology;

  JobTopics(Admin admin, JobTopology topology) {
    this.admin = admin;
    this.topology = topology;
  }

  void prepare() {
    Map<String, Integer> partitions = partitionCounts(topology.sourceTopics());
    topology.checkCoPartitioning(partitions);
    int outputPartitions = partitions.values().stream().mapToInt(Integer::intValue).max().orElse(1);
    Set<String> outputs = new LinkedHashSet<>(topology.outputTopics().values());
    outputs.add(topology.deadLetterTopic());
    createMissing(outputs, outputPartitions, longestRetention(topology.sourceTopics()));
  }

  /**
   * The longest {@code retention.ms} of {@code sources} ({@code -1}, keep everything, is the
   * longest). A topic created for the job's output keeps it: the broker measures retention against
   * the timestamps of the records, which are the event times of the records read, so an output kept
   * for less than its sources would lose what a replay of their older records writes.
   */
  private String longestRetention(Set<String> sources) {
    Map<ConfigResource, KafkaFuture<Config>> configs =
        admin
            .describeConfigs(
                sources.stream()
                    .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic))
                    .toList())
            .values();
    long longest = 0;
    for (KafkaFuture<Config> config : configs.values()) {
      ConfigEntry entry = await(config).get(TopicConfig.RETENTION_MS_CONFIG);
      long retention = entry == null ? -1 : Long.parseLong(entry.value());
      if (retention < 0) {
        return "-1";
      }
      longest = Math.max(longest, retention);
    }
    return Long.toString(longest);
  }

  private Map<String, Integer> partitionCounts(Set<String> sources) {
    Map<String, Integer> counts = new HashMap<>();
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, KafkaFuture<TopicDescription>> entry :
        admin.describeTopics(sources).topicNameValues().entrySet()) {
      try {
        counts.put(entry.getKey(), await(entry.getValue()).partitions().size());
      } catch (UnknownTopicOrPartitionException e) {
        missing.add(entry.getKey());
      }
    }
    if (!missing.isEmpty()) {
      throw new KappaException(
          "Cannot start job '"
              + topology.job().name()
              + "': source topic(s) "
              + missing
              + " do not exist."
              + " Create them, with the retention the job needs for replay, before starting the job.");
    }
    return counts;
  }

  private void createMissing(Set<String> topics, int partitions, String retentionMs) {
    List<NewTopic> newTopics = new ArrayList<>();
    for (String topic : topics) {
      newTopics.add(
          new NewTopic(topic, Optional.of(partitions), Optional.empty())
              .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, retentionMs)));
    }
    admin
        .createTopics(newTopics)
        .values()
        .forEach(
            (topic, result) -> {
              try {
                await(result);
              } catch (TopicExistsException e) {
                // Already there: a previous run or the operator created it.
              }
            });
  }

  private <T> T await(KafkaFuture<T> future) {
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      // The two answers the caller handles; anything else means the cluster did not cooperate.
      if (e.getCause() instanceof UnknownTopicOrPartitionException
          || e.getCause() instanceof TopicExistsException) {
        throw (RuntimeException) e.getCause();
      }
      throw new KappaException(cannotReach(e.getCause().getMessage()), e.getCause());
    } catch (TimeoutException e) {
      throw new KappaException(cannotReach("no answer within " + TIMEOUT_SECONDS + " s"), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KappaException(
          "Interrupted while preparing the topics of job '" + topology.job().name() + "'", e);
    }
  }

  private String cannotReach(String why) {
    return "Cannot prepare the topics of job '" + topology.job().name() + "': " + why;
  }
}
