package dev.kappa.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.Topology;
import org.jspecify.annotations.Nullable;

/**
 * A job's topology, built and checked for one deployment ({@link JobNaming}), with what the runtime
 * and the serving layer need to know about it: the topics it reads and writes, its dead-letter
 * topic, its serving tables and its joins.
 *
 * <pre>{@code
 * JobTopology topology = NetworkUsageJob.job().topology();
 * System.out.println(topology.topology().describe());
 * }</pre>
 *
 * <p>Immutable apart from the Kafka {@link Topology}, which must not be changed after it is built.
 */
public final class JobTopology {

  private final KappaJob job;
  private final JobNaming naming;
  private final Topology topology;
  private final List<ServedTable> servedTables;
  private final List<JoinInputs> joins;
  private final Map<String, Duration> graces;
  private final Map<String, Duration> windowedChangelogs;

  JobTopology(
      KappaJob job,
      JobNaming naming,
      Topology topology,
      List<ServedTable> servedTables,
      List<JoinInputs> joins,
      Map<String, Duration> graces,
      Map<String, Duration> windowedChangelogs) {
    this.job = job;
    this.naming = naming;
    this.topology = topology;
    this.servedTables = List.copyOf(servedTables);
    this.joins = List.copyOf(joins);
    this.graces = Collections.unmodifiableMap(new LinkedHashMap<>(graces));
    this.windowedChangelogs = Map.copyOf(windowedChangelogs);
  }

  /** The job this topology belongs to. */
  public KappaJob job() {
    return job;
  }

  /** The names of this deployment. */
  public JobNaming naming() {
    return naming;
  }

  /** The Kafka Streams {@code application.id} of this deployment. */
  public String applicationId() {
    return naming.applicationId();
  }

  /** The Kafka Streams topology. */
  public Topology topology() {
    return topology;
  }

  /** The source topics, in the order the job declares them. */
  public Set<String> sourceTopics() {
    Set<String> topics = new LinkedHashSet<>();
    job.sources().forEach(source -> topics.add(source.topic()));
    return topics;
  }

  /** The output topic of each sink, by sink name. */
  public Map<String, String> outputTopics() {
    Map<String, String> topics = new LinkedHashMap<>();
    job.sinks().forEach(sink -> topics.put(sink.name(), naming.outputTopic(sink.name())));
    return topics;
  }

  /** The topic that receives the records the job cannot read or process. */
  public String deadLetterTopic() {
    return naming.deadLetterTopic();
  }

  /** The serving tables with their windows, in the order they are materialized. */
  public List<ServedTable> servedTables() {
    return servedTables;
  }

  /** The serving table called {@code name}, if the job has one. */
  public Optional<ServedTable> servedTable(String name) {
    return servedTables.stream().filter(table -> table.name().equals(name)).findFirst();
  }

  /**
   * The smallest grace period of the windowed aggregations and joins that {@link JobStreamsBuilder}
   * built; empty if it built none (windows built on the plain {@code StreamsBuilder} are not seen).
   * A record that reaches one of them later than this behind the largest event time it has seen is
   * dropped as late. For a left or outer join it is also at most the join's time difference on the
   * side that may be reported alone: Kafka Streams reports such a record alone at once when it
   * arrives later than that behind the stream time with no match so far.
   */
  public Optional<Duration> smallestGrace() {
    return smallestGraceStep().map(graces::get);
  }

  /**
   * The lateness bound of each windowed aggregation and join that {@link JobStreamsBuilder} built,
   * by step (the serving table it materializes, or the join's name), in the order they were built:
   * its grace, and for a left or outer join at most its time difference, as in {@link
   * #smallestGrace()}.
   */
  public Map<String, Duration> graces() {
    return graces;
  }

  /**
   * The step whose bound is {@link #smallestGrace()}, the first one built if several share it;
   * empty if {@link JobStreamsBuilder} built no window or join.
   */
  public Optional<String> smallestGraceStep() {
    @Nullable String smallest = null;
    for (Map.Entry<String, Duration> step : graces.entrySet()) {
      if (smallest == null || step.getValue().compareTo(graces.get(smallest)) < 0) {
        smallest = step.getKey();
      }
    }
    return Optional.ofNullable(smallest);
  }

  /**
   * The changelog topic of each window and session store (its windowed tables and the stores of its
   * joins), with the store's retention in event time. Kafka Streams creates these topics with
   * {@code cleanup.policy=compact,delete} and {@code retention.ms} set to the store's retention
   * plus {@code windowstore.changelog.additional.retention.ms}; the broker measures that retention
   * against its clock. Stores whose log config sets {@code retention.ms} are left out.
   */
  public Map<String, Duration> windowedChangelogs() {
    return windowedChangelogs;
  }

  /** The source topics of both sides of each stream-stream join. */
  public List<JoinInputs> joins() {
    return joins;
  }

  /**
   * Checks that the inputs of every join have the same number of partitions.
   *
   * @param partitionCounts the number of partitions of each source topic
   * @throws KappaException naming the join and both topics if they differ, or if a count is missing
   */
  public void checkCoPartitioning(Map<String, Integer> partitionCounts) {
    List<String> problems = new ArrayList<>();
    for (JoinInputs join : joins) {
      Set<String> topics = new TreeSet<>(join.leftTopics());
      topics.addAll(join.rightTopics());
      for (String topic : topics) {
        if (!partitionCounts.containsKey(topic)) {
          throw new KappaException(
              "Cannot check co-partitioning of join '"
                  + join.join()
                  + "' of job '"
                  + job.name()
                  + "': the partition count of topic '"
                  + topic
                  + "' is unknown; does the topic exist?");
        }
      }
      for (String left : new TreeSet<>(join.leftTopics())) {
        for (String right : new TreeSet<>(join.rightTopics())) {
          int leftCount = partitionCounts.get(left);
          int rightCount = partitionCounts.get(right);
          if (leftCount != rightCount) {
            problems.add(
                "join '"
                    + join.join()
                    + "' reads '"
                    + left
                    + "' ("
                    + leftCount
                    + " partitions) and '"
                    + right
                    + "' ("
                    + rightCount
                    + " partitions)");
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new KappaException(
          "Cannot start job '"
              + job.name()
              + "': "
              + String.join("; ", problems)
              + ", which are not co-partitioned, so records with the same key would be processed by"
              + " different tasks and never join. Give both topics the same number of partitions, or"
              + " repartition one side with KStream#repartition(Repartitioned.numberOfPartitions(..)).");
    }
  }

  @Override
  public String toString() {
    return "JobTopology[" + job.name() + ", application.id=" + naming.applicationId() + "]";
  }
}
