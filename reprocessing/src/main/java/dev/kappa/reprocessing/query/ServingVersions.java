package dev.kappa.reprocessing.query;

import dev.kappa.reprocessing.JobVersion;
import dev.kappa.topology.JobTopology;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

/**
 * What {@link TableQueries} asks of the runtime: the active version of a job, and the Kafka Streams
 * instance and topology of a version running here. {@link dev.kappa.reprocessing.JobHost}
 * implements it.
 */
public interface ServingVersions {

  /** The jobs this instance knows. */
  Set<String> jobs();

  /** The active version of {@code job}, from the registry; empty if it has none. */
  OptionalInt activeVersion(String job);

  /** The versions of {@code job} that the registry lists, retired ones included. */
  Set<Integer> listedVersions(String job);

  /**
   * This instance's {@code application.server}, which the other instances see in the metadata of
   * the keys it holds; empty if it advertises none.
   */
  Optional<HostInfo> localHost();

  /** The Kafka Streams instance of {@code version} on this instance, if it runs here. */
  Optional<KafkaStreams> streams(JobVersion version);

  /** The topology of {@code version}, if this instance has its code. */
  Optional<JobTopology> topology(JobVersion version);
}
