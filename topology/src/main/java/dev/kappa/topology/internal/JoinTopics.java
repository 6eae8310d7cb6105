package dev.kappa.topology.internal;

import dev.kappa.topology.JoinInputs;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.TopologyDescription;

/** Finds the source topics of both sides of each named stream-stream join in a topology. */
public final class JoinTopics {

  private JoinTopics() {}

  /**
   * The inputs of each join in {@code joins}, found by walking back from the join's window
   * processors ({@code <join>-this-windowed}, {@code <join>-other-windowed}) to their sources.
   * Topics that the topology itself writes (its repartition topics) are left out.
   */
  public static List<JoinInputs> of(TopologyDescription description, List<String> joins) {
    Map<String, TopologyDescription.Node> nodes = new HashMap<>();
    Set<String> writtenTopics = new HashSet<>();
    for (TopologyDescription.Subtopology subtopology : description.subtopologies()) {
      for (TopologyDescription.Node node : subtopology.nodes()) {
        nodes.put(node.name(), node);
        if (node instanceof TopologyDescription.Sink
            && ((TopologyDescription.Sink) node).topic() != null) {
          writtenTopics.add(((TopologyDescription.Sink) node).topic());
        }
      }
    }
    return joins.stream()
        .map(
            join ->
                new JoinInputs(
                    join,
                    sourceTopics(nodes.get(join + "-this-windowed"), writtenTopics),
                    sourceTopics(nodes.get(join + "-other-windowed"), writtenTopics)))
        .toList();
  }

  private static Set<String> sourceTopics(
      TopologyDescription.Node start, Set<String> writtenTopics) {
    Set<String> topics = new TreeSet<>();
    if (start == null) {
      return topics;
    }
    Deque<TopologyDescription.Node> pending = new ArrayDeque<>(List.of(start));
    Set<String> seen = new HashSet<>();
    while (!pending.isEmpty()) {
      TopologyDescription.Node node = pending.pop();
      if (!seen.add(node.name())) {
        continue;
      }
      if (node instanceof TopologyDescription.Source) {
        Set<String> read = ((TopologyDescription.Source) node).topicSet();
        if (read != null) {
          read.stream().filter(topic -> !writtenTopics.contains(topic)).forEach(topics::add);
        }
      }
      pending.addAll(node.predecessors());
    }
    return topics;
  }
}
