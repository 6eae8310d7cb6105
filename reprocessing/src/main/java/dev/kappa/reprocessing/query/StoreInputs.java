package dev.kappa.reprocessing.query;

import dev.kappa.reprocessing.JobVersion;
import dev.kappa.topology.JobTopology;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.TopologyDescription;

/**
 * The topics read by the tasks that hold a store, as the broker names them: the description names
 * internal (repartition) topics without the application id that prefixes them on the broker and in
 * the metadata.
 */
record StoreInputs(Set<String> topics) {

  static StoreInputs of(JobVersion version, JobTopology topology, String store) {
    Set<String> topics = new TreeSet<>();
    for (TopologyDescription.Subtopology subtopology :
        topology.topology().describe().subtopologies()) {
      boolean holdsStore =
          subtopology.nodes().stream()
              .anyMatch(
                  node ->
                      node instanceof TopologyDescription.Processor processor
                          && processor.stores().contains(store));
      if (!holdsStore) {
        continue;
      }
      for (TopologyDescription.Node node : subtopology.nodes()) {
        if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
          for (String topic : source.topicSet()) {
            topics.add(topic);
            topics.add(version.applicationId() + "-" + topic);
          }
        }
      }
    }
    return new StoreInputs(Set.copyOf(topics));
  }
}
