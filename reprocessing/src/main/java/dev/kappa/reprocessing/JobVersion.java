package dev.kappa.reprocessing;

import dev.kappa.topology.JobNaming;
import dev.kappa.topology.JobTopology;
import dev.kappa.topology.KappaJob;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.kafka.streams.TopologyDescription;

/**
 * One version of a job, {@code network-usage} v2, and the one place where every name the version
 * owns is derived: its application id {@code <job>-v<n>} (which is also its consumer group and the
 * name of its state directory), its output topics {@code <job>-v<n>-<sink>}, its dead-letter topic
 * {@code <job>-v<n>-dead-letters}, and its store names and internal topics, read from the
 * topology's own description.
 *
 * <p>Names cannot collide by prefix: a versioned job's name may not contain {@code -v} followed by
 * a digit, so the first such mark in a name ends the job name and the digits after it are the
 * version. {@code network-usage-v1-...} and {@code network-usage-v10-...} belong to different
 * versions, and neither to a job called {@code network-usage-v1x}; and the topics of a version are
 * deleted by their exact names, never by prefix.
 *
 * <pre>{@code
 * JobVersion v2 = JobVersion.of("network-usage", 2);
 * JobTopology topology = v2.topology(NetworkUsageJob.v2());   // application id network-usage-v2
 * }</pre>
 *
 * @param job the job's name
 * @param number the version number, 1 or more
 */
public record JobVersion(String job, int number) implements Comparable<JobVersion> {

  private static final Pattern VERSION_MARK = Pattern.compile("-v[0-9]");
  private static final Comparator<JobVersion> ORDER =
      Comparator.comparing(JobVersion::job).thenComparingInt(JobVersion::number);

  /** Checks the job name and the number. */
  public JobVersion {
    Objects.requireNonNull(job, "job");
    if (VERSION_MARK.matcher(job).find()) {
      throw new IllegalArgumentException(
          "Invalid name '"
              + job
              + "' for a versioned job: it contains '-v' followed by a digit, which marks the"
              + " version in application ids and topic names. Rename the job.");
    }
    // Applies the job name rule of the topology module, with its wording.
    JobNaming.unversioned(job);
    if (number < 1) {
      throw new IllegalArgumentException(
          "Invalid version " + number + " of job '" + job + "': versions start at 1");
    }
  }

  /** Version {@code number} of the job called {@code job}. */
  public static JobVersion of(String job, int number) {
    return new JobVersion(job, number);
  }

  /** The Kafka Streams {@code application.id}: {@code <job>-v<number>}. */
  public String applicationId() {
    return job + "-v" + number;
  }

  /** The consumer group of the version's stream threads, which is its application id. */
  public String consumerGroup() {
    return applicationId();
  }

  /**
   * The directory where an instance keeps the version's local state, under the instance's state
   * root (Kafka Streams' {@code state.dir}).
   */
  public Path stateDirectory(Path stateRoot) {
    return stateRoot.resolve(applicationId());
  }

  /** The names of this version's application id, outputs and dead-letter topic. */
  public JobNaming naming() {
    String prefix = applicationId() + "-";
    return new JobNaming() {
      @Override
      public String applicationId() {
        return JobVersion.this.applicationId();
      }

      @Override
      public String outputTopic(String sinkName) {
        return prefix + sinkName;
      }

      @Override
      public String deadLetterTopic() {
        return prefix + "dead-letters";
      }

      @Override
      public String toString() {
        return JobVersion.this.toString();
      }
    };
  }

  /**
   * Builds {@code definition} as this version.
   *
   * @throws IllegalArgumentException if the definition is of another job
   */
  public JobTopology topology(KappaJob definition) {
    if (!definition.name().equals(job)) {
      throw new IllegalArgumentException(
          "Cannot build job '" + definition.name() + "' as " + this + ": the names differ");
    }
    return definition.topology(naming());
  }

  /**
   * The internal topics of this version, read from the topology's description: a repartition topic
   * for each internal source, and a changelog topic for each store. A store that keeps no changelog
   * has none on the cluster, so a name here may not exist.
   */
  public Set<String> internalTopics(JobTopology topology) {
    requireOwn(topology);
    Set<String> external = new TreeSet<>(topology.sourceTopics());
    external.addAll(topology.outputTopics().values());
    external.add(topology.deadLetterTopic());
    Set<String> internal = new TreeSet<>();
    for (TopologyDescription.Subtopology subtopology :
        topology.topology().describe().subtopologies()) {
      for (TopologyDescription.Node node : subtopology.nodes()) {
        if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
          source.topicSet().stream()
              .filter(topic -> !external.contains(topic))
              .forEach(topic -> internal.add(internalTopic(topic)));
        }
      }
    }
    storeNames(topology).forEach(store -> internal.add(internalTopic(store + "-changelog")));
    return internal;
  }

  /**
   * The names of the version's state stores, read from the topology's description: the serving
   * tables and the stores of joins and suppressions. They are the same in every version; the state
   * directory and the changelog topics, which carry the application id, keep them apart.
   */
  public Set<String> storeNames(JobTopology topology) {
    requireOwn(topology);
    Set<String> stores = new TreeSet<>();
    for (TopologyDescription.Subtopology subtopology :
        topology.topology().describe().subtopologies()) {
      for (TopologyDescription.Node node : subtopology.nodes()) {
        if (node instanceof TopologyDescription.Processor processor) {
          stores.addAll(processor.stores());
        }
      }
    }
    return stores;
  }

  /**
   * Every topic this version owns and retire deletes: its internal topics, its output topics and
   * its dead-letter topic. Never a source.
   */
  public Set<String> ownedTopics(JobTopology topology) {
    Set<String> owned = internalTopics(topology);
    owned.addAll(topology.outputTopics().values());
    owned.add(topology.deadLetterTopic());
    return owned;
  }

  private String internalTopic(String name) {
    return applicationId() + "-" + name;
  }

  private void requireOwn(JobTopology topology) {
    if (!topology.applicationId().equals(applicationId())) {
      throw new IllegalArgumentException(
          "Topology "
              + topology
              + " is not built as "
              + this
              + " (application id '"
              + applicationId()
              + "'); build it with JobVersion#topology");
    }
  }

  @Override
  public int compareTo(JobVersion other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return "'" + job + "' v" + number;
  }
}
