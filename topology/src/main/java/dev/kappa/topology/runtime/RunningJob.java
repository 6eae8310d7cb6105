package dev.kappa.topology.runtime;

import dev.kappa.topology.JobTopology;
import dev.kappa.topology.KappaException;
import dev.kappa.topology.deadletter.DeadLetterMetrics;
import dev.kappa.topology.internal.StreamsMetricSums;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.metrics.KafkaMetricsContext;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.processor.TaskId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Kafka Streams instance of a job.
 *
 * <p>{@link #start(JobTopology, JobConfig)} checks the topics first, so that a wrong setup fails
 * with a clear message instead of a stream thread dying later: every source topic must exist, the
 * inputs of every join must be co-partitioned, and missing output and dead-letter topics are
 * created (with as many partitions as the largest source).
 *
 * <pre>{@code
 * try (RunningJob job = RunningJob.start(NetworkUsageJob.job().topology(), config)) {
 *     job.awaitRunning(Duration.ofSeconds(60));
 *     // ... query job.streams(), watch job.deadLetters().total()
 * }
 * }</pre>
 *
 * <p>The dead-letter count is published as the JMX metric {@code dead-letter-records-total} of
 * {@code kappa:type=kappa-job-metrics,job=<job>,application-id=<id>,instance=<random id>}.
 * Thread-safe.
 */
public final class RunningJob implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RunningJob.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final JobTopology topology;
  private final KafkaStreams streams;
  private final Path stateDirectory;
  private final DeadLetterMetrics deadLetters;
  private final Metrics metrics;
  private final CountDownLatch settled = new CountDownLatch(1);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final ThreadFailures threadFailures = new ThreadFailures(System::nanoTime);
  private final Restorations restoring = new Restorations();
  // by the whole metric name: a task's sensors are per stream thread
  private final Map<MetricName, Long> droppedSeen = new HashMap<>();
  private final Map<Integer, Long> droppedBySubtopology = new TreeMap<>();

  private RunningJob(
      JobTopology topology, Map<String, Object> streamsConfig, KafkaClientSupplier clients) {
    this.topology = topology;
    this.deadLetters = DeadLetterMetrics.from(streamsConfig);
    Properties properties = new Properties();
    properties.putAll(streamsConfig);
    this.streams = new KafkaStreams(topology.topology(), properties, clients);
    this.stateDirectory =
        Path.of(
            String.valueOf(properties.get(StreamsConfig.STATE_DIR_CONFIG)),
            topology.applicationId());
    this.metrics = publishMetrics(topology, deadLetters);
    streams.setGlobalStateRestoreListener(restoring);
    streams.setStateListener(
        (next, previous) -> {
          if (next == KafkaStreams.State.RUNNING || !next.isRunningOrRebalancing()) {
            settled.countDown();
          }
        });
    streams.setUncaughtExceptionHandler(
        error -> {
          StreamThreadExceptionResponse response = threadFailures.respond(error);
          if (response == StreamThreadExceptionResponse.REPLACE_THREAD) {
            log.warn(
                "Job '{}' ({}) replaces a stream thread after a Kafka error ({} of at most {} in"
                    + " {}); its tasks start again from their last commit",
                topology.job().name(),
                topology.applicationId(),
                threadFailures.recentReplacements(),
                ThreadFailures.MAX_REPLACEMENTS,
                ThreadFailures.WINDOW,
                error);
            return response;
          }
          log.error(
              "Job '{}' ({}) stops after an unrecoverable error",
              topology.job().name(),
              topology.applicationId(),
              error);
          failure.compareAndSet(null, error);
          return response;
        });
  }

  /**
   * Checks and prepares the topics of {@code topology}, then starts it with {@code config}.
   *
   * @throws KappaException if a source topic is missing, the inputs of a join are not
   *     co-partitioned, or the cluster cannot be reached
   */
  public static RunningJob start(JobTopology topology, JobConfig config) {
    return start(topology, config, null);
  }

  /**
   * Like {@link #start(JobTopology, JobConfig)}, with the Kafka clients made by {@code clients}
   * (null for the {@code default.client.supplier} of the configuration): for a runtime that wraps
   * the consumer or producer of the stream threads.
   *
   * @throws KappaException if a source topic is missing, the inputs of a join are not
   *     co-partitioned, or the cluster cannot be reached
   */
  public static RunningJob start(
      JobTopology topology, JobConfig config, @Nullable KafkaClientSupplier clients) {
    Map<String, Object> streamsConfig = config.streamsConfig(topology);
    StreamsConfig checked = new StreamsConfig(streamsConfig);
    Map<String, Object> adminConfig =
        checked.getAdminConfigs(topology.applicationId() + "-kappa-admin");
    try (Admin admin = Admin.create(adminConfig)) {
      new JobTopics(admin, topology).prepare();
    }
    RunningJob job =
        new RunningJob(
            topology, streamsConfig, clients == null ? checked.getKafkaClientSupplier() : clients);
    job.streams.start();
    log.info(
        "Started job '{}' as application id '{}'", topology.job().name(), topology.applicationId());
    return job;
  }

  /** The topology this instance runs. */
  public JobTopology topology() {
    return topology;
  }

  /** The Kafka Streams instance, for queries and metrics. */
  public KafkaStreams streams() {
    return streams;
  }

  /** The instance's state. */
  public KafkaStreams.State state() {
    return streams.state();
  }

  /**
   * The store partitions this instance is restoring from their changelogs now; empty when its state
   * is complete. A store being restored answers no queries, and a version restoring its stores has
   * not caught up.
   */
  public Set<TopicPartition> restoringPartitions() {
    return restoring.partitions();
  }

  /** The store partitions being restored now, with how far each has come. */
  public Map<TopicPartition, Restoration> restorations() {
    return restoring.progress();
  }

  /**
   * The records this instance has restored from changelogs since it started: after a crash under
   * exactly-once, its whole state unless transactional state stores keep it.
   */
  public long restoredRecords() {
    return restoring.restored();
  }

  /** The records this instance sent to the dead-letter topic. */
  public DeadLetterMetrics deadLetters() {
    return deadLetters;
  }

  /**
   * Records this instance dropped, from Kafka Streams' {@code dropped-records-total} metric:
   * records that arrived after the grace period of their window, and records sent to the
   * dead-letter topic.
   */
  public long droppedRecords() {
    return StreamsMetricSums.total(streams.metrics(), "dropped-records-total");
  }

  /**
   * Records this instance dropped because they arrived after the grace period of their window or
   * join, by the sub-topology whose task dropped them: Kafka Streams' {@code dropped-records-total}
   * of each task, less the records that task sent to the dead-letter topic. Sub-topologies without
   * a drop are left out. Kafka Streams removes a task's metrics when the task leaves this instance,
   * so each call adds what the tasks dropped since the last one: call it regularly (the host does,
   * at every progress check) and the counts keep what tasks that moved away had dropped.
   */
  public synchronized Map<Integer, Long> lateDroppedBySubtopology() {
    for (Metric metric : streams.metrics().values()) {
      MetricName name = metric.metricName();
      String task = name.tags().get("task-id");
      if (name.name().equals("dropped-records-total") && task != null) {
        TaskId id = TaskId.parse(task);
        long count = (long) ((Number) metric.metricValue()).doubleValue();
        Long seen = droppedSeen.put(name, count);
        // A task that came back starts its metric at zero again.
        long added = seen == null || count < seen ? count : count - seen;
        droppedBySubtopology.merge(id.subtopology(), added, Long::sum);
      }
    }
    Map<Integer, Long> late = new TreeMap<>(droppedBySubtopology);
    deadLetters.bySubtopology().forEach((id, count) -> late.merge(id, -count, Long::sum));
    late.values().removeIf(count -> count <= 0);
    return late;
  }

  /**
   * How far this instance has processed {@code sourceTopic}: the sum of the committed offsets of
   * the partitions of that topic whose tasks it runs (0 for a partition without a commit). For a
   * topic written without transactions, that is the number of its records processed and committed.
   */
  public long committedPosition(String sourceTopic) {
    return streams.metadataForLocalThreads().stream()
        .flatMap(thread -> thread.activeTasks().stream())
        .flatMap(task -> task.committedOffsets().entrySet().stream())
        .filter(offset -> offset.getKey().topic().equals(sourceTopic))
        .mapToLong(offset -> Math.max(0, offset.getValue()))
        .sum();
  }

  /**
   * Waits until the instance is {@code RUNNING}.
   *
   * @throws KappaException if it stops instead, or is not running after {@code timeout}
   */
  public void awaitRunning(Duration timeout) {
    try {
      if (!settled.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new KappaException(
            "Job '"
                + topology.job().name()
                + "' ("
                + topology.applicationId()
                + ") is not running after "
                + timeout
                + ": it is "
                + streams.state());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KappaException(
          "Interrupted while waiting for job '" + topology.job().name() + "' to run", e);
    }
    if (streams.state() != KafkaStreams.State.RUNNING
        && !streams.state().isRunningOrRebalancing()) {
      Throwable error = failure.get();
      throw new KappaException(
          "Job '"
              + topology.job().name()
              + "' ("
              + topology.applicationId()
              + ") stopped: it is "
              + streams.state()
              + (error == null ? "" : " after " + error),
          error);
    }
  }

  /** Stops the instance and leaves its group, waiting up to 30 s for its threads to finish. */
  @Override
  public void close() {
    close(CLOSE_TIMEOUT);
  }

  /**
   * Stops the instance, waiting up to {@code timeout} for its threads to finish their work. The
   * instance leaves its consumer group, so that the other instances take over its tasks at once
   * instead of after the session timeout.
   */
  public void close(Duration timeout) {
    CloseOptions options =
        CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(timeout);
    if (!streams.close(options)) {
      log.warn(
          "Job '{}' ({}) did not stop within {}",
          topology.job().name(),
          topology.applicationId(),
          timeout);
    }
    metrics.close();
  }

  /**
   * Stops the instance as {@link #close()} does, then deletes its local state directory, {@code
   * <state.dir>/<application.id>} (after Kafka Streams' {@link KafkaStreams#cleanUp()}): for a
   * deployment that is retired and will not run here again.
   */
  public void closeAndDeleteState() {
    close();
    try {
      streams.cleanUp();
      // cleanUp leaves the directory itself when files it does not own remain (its process id).
      Utils.delete(stateDirectory.toFile());
    } catch (IllegalStateException | IOException e) {
      log.warn(
          "Cannot delete the local state of job '{}' ({}) in {}",
          topology.job().name(),
          topology.applicationId(),
          stateDirectory,
          e);
    }
  }

  private static Metrics publishMetrics(JobTopology topology, DeadLetterMetrics deadLetters) {
    Metrics metrics =
        new Metrics(
            new MetricConfig(),
            List.of(new JmxReporter()),
            Time.SYSTEM,
            new KafkaMetricsContext("kappa"));
    // Several instances of one application may run in one JVM (tests, side-by-side versions): the
    // instance tag keeps their metrics apart.
    Map<String, String> tags =
        Map.of(
            "job",
            topology.job().name(),
            "application-id",
            topology.applicationId(),
            "instance",
            UUID.randomUUID().toString().substring(0, 8));
    MetricName total =
        metrics.metricName(
            "dead-letter-records-total",
            "kappa-job-metrics",
            "Records sent to the dead-letter topic because they could not be read or processed",
            tags);
    metrics.addMetric(total, (Gauge<Long>) (config, now) -> deadLetters.total());
    return metrics;
  }

  /**
   * How far the restoration of one store partition from its changelog has come.
   *
   * @param restored records restored so far
   * @param toRestore records to restore when it started
   */
  public record Restoration(long restored, long toRestore) {}

  /**
   * Follows the store partitions being restored, for {@link #restoringPartitions()} and {@link
   * #restorations()}, counting records as they are restored (in any Kafka Streams version, and
   * without the DEBUG metrics level that Kafka Streams' own {@code restore-rate} needs).
   */
  private static final class Restorations implements StateRestoreListener {
    private final Map<TopicPartition, Restoration> partitions = new ConcurrentHashMap<>();
    private final LongAdder restored = new LongAdder();

    Set<TopicPartition> partitions() {
      return Set.copyOf(partitions.keySet());
    }

    Map<TopicPartition, Restoration> progress() {
      return Map.copyOf(partitions);
    }

    long restored() {
      return restored.sum();
    }

    @Override
    public void onRestoreStart(
        TopicPartition partition, String storeName, long startingOffset, long endingOffset) {
      partitions.put(partition, new Restoration(0, Math.max(0, endingOffset - startingOffset)));
    }

    @Override
    public void onBatchRestored(
        TopicPartition partition, String storeName, long batchEndOffset, long numRestored) {
      restored.add(numRestored);
      partitions.computeIfPresent(
          partition,
          (key, before) -> new Restoration(before.restored() + numRestored, before.toRestore()));
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String storeName, long totalRestored) {
      partitions.remove(partition);
    }

    @Override
    public void onRestoreSuspended(TopicPartition partition, String storeName, long totalRestored) {
      partitions.remove(partition);
    }
  }
}
