package dev.kappa.reprocessing.internal;

import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.replay.PartitionProgress;
import dev.kappa.reprocessing.replay.ReplayPlan;
import dev.kappa.reprocessing.replay.ReplayProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Measures a version's replay from its consumer group's committed offsets, which every instance of
 * the version shares, against the end offsets of the topics it reads, with the late drops of every
 * instance. Keeps the last few measurements for the rate. Not thread-safe: one checker thread uses
 * it.
 */
public final class ProgressMeter {

  private static final Duration RATE_WINDOW = Duration.ofSeconds(5);
  private static final long TIMEOUT_SECONDS = 10;

  private final JobVersion version;
  private final ReplayPlan plan;
  private final Deque<Sample> samples = new ArrayDeque<>();

  /** A meter for {@code version} replaying {@code plan}. */
  public ProgressMeter(JobVersion version, ReplayPlan plan) {
    this.version = version;
    this.plan = plan;
  }

  /**
   * Measures the replay now.
   *
   * @param runtime the version on this instance, for its alignment and the late drops of all
   * @param caughtUp whether the registry lists the version as caught up
   * @throws ExecutionException if the cluster refuses a request
   * @throws TimeoutException if it does not answer in 10 s
   */
  public Measurement measure(Admin admin, VersionRuntime runtime, boolean caughtUp, Instant now)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(version.consumerGroup())
            .partitionsToOffsetAndMetadata()
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    Set<TopicPartition> read = new HashSet<>(plan.targets().keySet());
    committed.forEach(
        (partition, offset) -> {
          if (offset != null) {
            read.add(partition);
          }
        });
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    read.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
    Map<TopicPartition, ListOffsetsResultInfo> ends =
        admin.listOffsets(latest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

    List<PartitionProgress> partitions = new ArrayList<>();
    long replayed = 0;
    long target = 0;
    long inputLag = 0;
    long maxLag = 0;
    for (TopicPartition partition : read) {
      long end = ends.get(partition).offset();
      Long start = plan.startOffsets().get(partition);
      OffsetAndMetadata offset = committed.get(partition);
      // Only source partitions are measured before their first commit.
      long position = offset != null ? offset.offset() : java.util.Objects.requireNonNull(start);
      long lag = Math.max(0, end - position);
      inputLag += lag;
      maxLag = Math.max(maxLag, lag);
      if (start != null) {
        long partitionTarget = plan.targets().get(partition) - start;
        long partitionReplayed = Math.max(0, position - start);
        partitions.add(new PartitionProgress(partition, partitionReplayed, partitionTarget, lag));
        replayed += Math.min(partitionReplayed, partitionTarget);
        target += partitionTarget;
      }
    }
    partitions.sort(
        Comparator.comparing((PartitionProgress p) -> p.partition().topic())
            .thenComparingInt(p -> p.partition().partition()));

    samples.addLast(new Sample(now, replayed));
    while (samples.size() > 2
        && Duration.between(samples.getFirst().at(), now).compareTo(RATE_WINDOW) > 0) {
      samples.removeFirst();
    }
    Sample first = samples.getFirst();
    double seconds = Duration.between(first.at(), now).toMillis() / 1000.0;
    double rate = seconds > 0 ? (replayed - first.replayed()) / seconds : 0;
    Optional<Duration> timeLeft =
        rate > 0 && replayed < target
            ? Optional.of(Duration.ofMillis((long) ((target - replayed) / rate * 1000)))
            : Optional.empty();
    Map<String, Long> lateByStep = runtime.lateDroppedByStep();
    long lateDropped = lateByStep.values().stream().mapToLong(Long::longValue).sum();
    ReplayProgress progress =
        new ReplayProgress(
            version,
            now,
            partitions,
            replayed,
            target,
            inputLag,
            rate,
            timeLeft,
            lateDropped,
            lateByStep,
            runtime.alignment(),
            caughtUp);
    return new Measurement(progress, maxLag);
  }

  /**
   * One measurement.
   *
   * @param progress the progress
   * @param maxPartitionLag the largest lag of any partition the version reads
   */
  public record Measurement(ReplayProgress progress, long maxPartitionLag) {}

  private record Sample(Instant at, long replayed) {}
}
