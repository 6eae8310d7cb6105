package dev.kappa.reprocessing.internal;

import dev.kappa.topology.JobTopology;
import dev.kappa.topology.JoinInputs;
import dev.kappa.topology.ServedTable;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.streams.TopologyDescription;

/**
 * Names the sub-topologies of a job by what a user knows of them: the serving tables they
 * materialize and the joins they run, such as {@code usage-by-node + alarms-with-usage}. Kafka
 * Streams counts late drops by task, and a task runs one sub-topology, so these are the finest
 * steps its drops can be told apart by.
 */
public final class TopologySteps {

  private TopologySteps() {}

  /** The name of each sub-topology of {@code topology}, by its id. */
  public static Map<Integer, String> of(JobTopology topology) {
    Map<Integer, String> steps = new TreeMap<>();
    for (TopologyDescription.Subtopology subtopology :
        topology.topology().describe().subtopologies()) {
      Set<String> names = new TreeSet<>();
      for (TopologyDescription.Node node : subtopology.nodes()) {
        if (node instanceof TopologyDescription.Processor processor) {
          for (ServedTable table : topology.servedTables()) {
            if (processor.stores().contains(table.name())) {
              names.add(table.name());
            }
          }
        }
        for (JoinInputs join : topology.joins()) {
          if (node.name().startsWith(join.join() + "-")) {
            names.add(join.join());
          }
        }
      }
      steps.put(
          subtopology.id(),
          names.isEmpty() ? "sub-topology " + subtopology.id() : String.join(" + ", names));
    }
    return steps;
  }
}
