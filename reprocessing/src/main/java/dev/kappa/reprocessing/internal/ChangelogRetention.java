package dev.kappa.reprocessing.internal;

import dev.kappa.reprocessing.JobVersion;
import dev.kappa.topology.JobTopology;
import dev.kappa.topology.runtime.JobConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the changelog of each window store of a version ({@link JobTopology#windowedChangelogs()})
 * as long as the store keeps its windows, so that a task restored from it (after a rebalance, a
 * crash, or on a new instance) has every window back.
 *
 * <p>The broker deletes a changelog record once its timestamp, the event time of its window, is
 * {@code retention.ms} older than the broker's clock. Kafka Streams sets that to the store's
 * retention plus {@code windowstore.changelog.additional.retention.ms} (a day by default), which
 * holds only while event time follows the clock. A version that replays records older than that
 * would see its changelogs deleted as it writes them. So:
 *
 * <ul>
 *   <li>a version's changelogs are created with {@link #HELD} more retention ({@link
 *       #whileReplaying}): nothing expires while it replays;
 *   <li>once it has caught up, each one keeps the store's retention plus the additional retention
 *       plus how far the newest record of the version's sources is behind the clock ({@link
 *       #follow}), checked again every {@link #EVERY}.
 * </ul>
 *
 * <p>A caught-up version whose event time falls more than the additional retention behind the
 * newest record of its sources (it stopped for longer than that) may again miss windows on restore,
 * as Kafka Streams would against the clock.
 */
public final class ChangelogRetention {

  /** The retention added while a version replays: a hundred years, that is, none expires. */
  static final Duration HELD = Duration.ofDays(36_525);

  /** How often a caught-up version's changelogs are checked. */
  static final Duration EVERY = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(ChangelogRetention.class);
  private static final Duration DEFAULT_ADDITIONAL = Duration.ofDays(1);
  private static final Duration STEP = Duration.ofHours(1);
  private static final Duration SLACK = Duration.ofDays(1);

  private final JobVersion version;
  private final Map<String, Duration> changelogs;
  private final Collection<TopicPartition> sources;
  private final Duration additional;
  private Instant next = Instant.MIN;

  /** The changelogs of {@code topology}, run as {@code version} with {@code config}. */
  ChangelogRetention(
      JobVersion version,
      JobTopology topology,
      Collection<TopicPartition> sources,
      JobConfig config) {
    this.version = version;
    this.changelogs = topology.windowedChangelogs();
    this.sources = List.copyOf(sources);
    this.additional = additional(config);
  }

  /**
   * {@code config} with {@link #HELD} added to the additional retention, so that the window-store
   * changelogs Kafka Streams creates for a version keep everything until {@link #follow} sets their
   * retention.
   */
  static JobConfig whileReplaying(JobConfig config) {
    long additionalMs = additional(config).toMillis();
    return config.with(
        StreamsConfig.WINDOW_STORE_CHANGE_LOG_ADDITIONAL_RETENTION_MS_CONFIG,
        additionalMs > Long.MAX_VALUE - HELD.toMillis()
            ? Long.MAX_VALUE
            : additionalMs + HELD.toMillis());
  }

  private static Duration additional(JobConfig config) {
    Object value =
        config
            .overrides()
            .get(StreamsConfig.WINDOW_STORE_CHANGE_LOG_ADDITIONAL_RETENTION_MS_CONFIG);
    return value == null ? DEFAULT_ADDITIONAL : Duration.ofMillis(Long.parseLong(value.toString()));
  }

  /**
   * Sets the retention of the changelogs of the caught-up version, if {@link #EVERY} has passed
   * since the last time: to the store's retention, the additional retention, and the time between
   * {@code now} and the newest record of the sources, rounded up to the hour, plus a day of slack.
   * A changelog is changed only if its retention is short of that, or longer by more than the
   * slack.
   */
  public void follow(Admin admin, Instant now) throws InterruptedException {
    if (changelogs.isEmpty() || now.isBefore(next)) {
      return;
    }
    next = now.plus(EVERY);
    try {
      OptionalLong newest = newestRecord(admin);
      if (newest.isEmpty()) {
        return;
      }
      Duration behind = Duration.ofMillis(Math.max(0, now.toEpochMilli() - newest.getAsLong()));
      Duration behindInSteps = STEP.multipliedBy(ceilDiv(behind.toMillis(), STEP.toMillis()));
      Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
      Map<ConfigResource, KafkaFuture<Config>> configs =
          admin
              .describeConfigs(
                  changelogs.keySet().stream()
                      .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic))
                      .toList())
              .values();
      for (Map.Entry<ConfigResource, KafkaFuture<Config>> config : configs.entrySet()) {
        OptionalLong current = retention(config.getValue());
        if (current.isEmpty() || current.getAsLong() < 0) {
          continue; // Not created yet, or keeps everything.
        }
        Duration needed =
            changelogs.get(config.getKey().name()).plus(additional).plus(behindInSteps);
        long neededMs = needed.toMillis();
        if (current.getAsLong() < neededMs
            || current.getAsLong() > needed.plus(SLACK).plus(SLACK).toMillis()) {
          long target = needed.plus(SLACK).toMillis();
          changes.put(
              config.getKey(),
              List.of(
                  new AlterConfigOp(
                      new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, Long.toString(target)),
                      AlterConfigOp.OpType.SET)));
          log.info(
              "{}: changelog {} now keeps windows for {} (its store's retention, {} more, and the"
                  + " {} its sources' newest record is behind the clock), instead of {}",
              version,
              config.getKey().name(),
              Duration.ofMillis(target),
              additional.plus(SLACK),
              behindInSteps,
              Duration.ofMillis(current.getAsLong()));
        }
      }
      if (!changes.isEmpty()) {
        admin.incrementalAlterConfigs(changes).all().get(30, TimeUnit.SECONDS);
      }
    } catch (ExecutionException | TimeoutException e) {
      log.warn("{}: cannot set the retention of its changelogs yet: {}", version, e.toString());
    }
  }

  /**
   * The smallest of the largest timestamps of the source partitions that have records: how far the
   * slowest partition's event time can be.
   */
  private OptionalLong newestRecord(Admin admin)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    sources.forEach(partition -> request.put(partition, OffsetSpec.maxTimestamp()));
    Map<TopicPartition, ListOffsetsResultInfo> newest =
        admin.listOffsets(request).all().get(30, TimeUnit.SECONDS);
    return newest.values().stream()
        .filter(info -> info.offset() >= 0 && info.timestamp() >= 0)
        .mapToLong(ListOffsetsResultInfo::timestamp)
        .min();
  }

  /** A topic's {@code retention.ms}, or empty if the topic does not exist (yet). */
  private static OptionalLong retention(KafkaFuture<Config> config)
      throws InterruptedException, ExecutionException, TimeoutException {
    try {
      ConfigEntry entry = config.get(30, TimeUnit.SECONDS).get(TopicConfig.RETENTION_MS_CONFIG);
      return entry == null || entry.value() == null
          ? OptionalLong.empty()
          : OptionalLong.of(Long.parseLong(entry.value()));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return OptionalLong.empty();
      }
      throw e;
    }
  }

  private static long ceilDiv(long dividend, long divisor) {
    return -Math.floorDiv(-dividend, divisor);
  }
}
