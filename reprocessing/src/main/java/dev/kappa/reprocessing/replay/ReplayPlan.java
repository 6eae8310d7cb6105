package dev.kappa.reprocessing.replay;

import dev.kappa.reprocessing.JobVersion;
import dev.kappa.topology.KappaException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * What a version replays: for every partition of its sources, the earliest offset the replay starts
 * from and the end offset it must reach (the target), read when the version starts, and whether the
 * log still reaches back to its beginning.
 *
 * <p>A partition whose earliest offset is above 0 has lost its first records, to retention ({@code
 * retention.ms}, {@code retention.bytes}) or to a deletion: a replay would compute results from
 * part of the history. {@link #requireCompleteHistory()} refuses it, naming the topic and
 * partitions. Immutable.
 */
public final class ReplayPlan {

  private static final long TIMEOUT_SECONDS = 30;

  private final JobVersion version;
  private final Map<TopicPartition, Long> startOffsets;
  private final Map<TopicPartition, Long> targets;
  private final Map<String, String> retention;

  private ReplayPlan(
      JobVersion version,
      Map<TopicPartition, Long> startOffsets,
      Map<TopicPartition, Long> targets,
      Map<String, String> retention) {
    this.version = version;
    this.startOffsets = Map.copyOf(startOffsets);
    this.targets = Map.copyOf(targets);
    this.retention = Map.copyOf(retention);
  }

  /**
   * Reads the offsets and retention of {@code sourceTopics} for a replay by {@code version}.
   *
   * @throws MissingSourcesException if a topic does not exist
   * @throws KappaException if the cluster does not answer
   */
  public static ReplayPlan read(Admin admin, JobVersion version, Collection<String> sourceTopics) {
    try {
      Map<String, TopicDescription> topics =
          admin.describeTopics(sourceTopics).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      topics
          .values()
          .forEach(
              topic ->
                  topic
                      .partitions()
                      .forEach(
                          partition -> {
                            TopicPartition tp =
                                new TopicPartition(topic.name(), partition.partition());
                            earliest.put(tp, OffsetSpec.earliest());
                            latest.put(tp, OffsetSpec.latest());
                          }));
      Map<TopicPartition, Long> starts = offsets(admin, earliest);
      Map<TopicPartition, Long> ends = offsets(admin, latest);
      return new ReplayPlan(version, starts, ends, retention(admin, topics.keySet()));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        Set<String> missing = missing(admin, sourceTopics);
        if (!missing.isEmpty()) {
          throw new MissingSourcesException(version, missing);
        }
      }
      throw new KappaException(
          "Cannot plan the replay of "
              + version
              + " over "
              + sourceTopics
              + ": "
              + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new KappaException(
          "Cannot plan the replay of " + version + ": no answer within " + TIMEOUT_SECONDS + " s",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KappaException("Interrupted while planning the replay of " + version, e);
    }
  }

  /** Those of {@code topics} that do not exist; none if the cluster does not say. */
  private static Set<String> missing(Admin admin, Collection<String> topics) {
    Set<String> missing = new TreeSet<>(topics);
    try {
      missing.removeAll(admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
      return missing;
    } catch (ExecutionException | TimeoutException e) {
      return Set.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Set.of();
    }
  }

  private static Map<TopicPartition, Long> offsets(
      Admin admin, Map<TopicPartition, OffsetSpec> specs)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    for (Map.Entry<TopicPartition, ListOffsetsResultInfo> entry :
        admin.listOffsets(specs).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).entrySet()) {
      offsets.put(entry.getKey(), entry.getValue().offset());
    }
    return offsets;
  }

  private static Map<String, String> retention(Admin admin, Set<String> topics)
      throws ExecutionException, InterruptedException, TimeoutException {
    List<ConfigResource> resources =
        topics.stream().map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
    Map<ConfigResource, Config> configs =
        admin.describeConfigs(resources).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    Map<String, String> retention = new HashMap<>();
    configs.forEach(
        (resource, config) ->
            retention.put(
                resource.name(),
                TopicConfig.RETENTION_MS_CONFIG
                    + "="
                    + config.get(TopicConfig.RETENTION_MS_CONFIG).value()
                    + ", "
                    + TopicConfig.RETENTION_BYTES_CONFIG
                    + "="
                    + config.get(TopicConfig.RETENTION_BYTES_CONFIG).value()));
    return retention;
  }

  /** The version that replays. */
  public JobVersion version() {
    return version;
  }

  /** The earliest offset of each source partition: where the replay starts. */
  public Map<TopicPartition, Long> startOffsets() {
    return startOffsets;
  }

  /** The end offset of each source partition when the plan was read: what the replay must reach. */
  public Map<TopicPartition, Long> targets() {
    return targets;
  }

  /** The records to replay over all source partitions. */
  public long records() {
    return targets.entrySet().stream()
        .mapToLong(target -> target.getValue() - startOffsets.getOrDefault(target.getKey(), 0L))
        .sum();
  }

  /** The source partitions whose log no longer starts at offset 0, by topic, with their offsets. */
  public Map<String, Map<Integer, Long>> incompletePartitions() {
    Map<String, Map<Integer, Long>> incomplete = new TreeMap<>();
    startOffsets.forEach(
        (partition, earliest) -> {
          if (earliest > 0) {
            incomplete
                .computeIfAbsent(partition.topic(), topic -> new TreeMap<>())
                .put(partition.partition(), earliest);
          }
        });
    return incomplete;
  }

  /** Whether every source partition still holds its whole history. */
  public boolean completeHistory() {
    return incompletePartitions().isEmpty();
  }

  /**
   * Checks that every source partition still holds its whole history.
   *
   * @throws IncompleteHistoryException naming each topic and its partitions whose earliest offset
   *     is above 0, with the topic's retention
   */
  public void requireCompleteHistory() {
    Map<String, Map<Integer, Long>> incomplete = incompletePartitions();
    if (incomplete.isEmpty()) {
      return;
    }
    List<String> topics = new ArrayList<>();
    incomplete.forEach(
        (topic, partitions) ->
            topics.add(
                "topic '"
                    + topic
                    + "' partitions "
                    + partitions.keySet()
                    + " start at offsets "
                    + partitions.values()
                    + " ("
                    + retention.get(topic)
                    + ")"));
    throw new IncompleteHistoryException(
        "Cannot replay "
            + version
            + " from the beginning: "
            + String.join("; ", topics)
            + ", so their first records were deleted by retention or on request. Give the source"
            + " topics a retention that keeps the history the job needs (retention.ms=-1), or"
            + " start the version accepting partial history.");
  }

  @Override
  public String toString() {
    return "ReplayPlan["
        + version
        + ", "
        + records()
        + " records, "
        + targets.size()
        + " partitions]";
  }
}
