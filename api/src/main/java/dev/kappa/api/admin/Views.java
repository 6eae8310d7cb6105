package dev.kappa.api.admin;

import dev.kappa.reprocessing.JobHost;
import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.registry.JobHistory;
import dev.kappa.reprocessing.registry.VersionState;
import dev.kappa.reprocessing.replay.Alignment;
import dev.kappa.reprocessing.replay.PartitionProgress;
import dev.kappa.reprocessing.replay.ReplayPlan;
import dev.kappa.reprocessing.replay.ReplayProgress;
import dev.kappa.topology.JobTopology;
import dev.kappa.topology.KappaJob;
import dev.kappa.topology.ServingTable;
import dev.kappa.topology.runtime.RunningJob;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.TopologyDescription;
import org.jspecify.annotations.Nullable;

/** The JSON bodies of the job and admin endpoints. */
final class Views {

  private Views() {}

  /** A job: its versions in the registry, the active one, and the tables of each. */
  record JobView(
      String job,
      @Nullable Integer active,
      @Nullable Integer previous,
      String instance,
      List<VersionView> versions,
      @Nullable String waitingForSources) {

    static JobView of(JobHost host, String job) {
      JobHistory history = host.history(job);
      return new JobView(
          job,
          history.active().isPresent() ? history.active().getAsInt() : null,
          history.previous().isPresent() ? history.previous().getAsInt() : null,
          host.instance(),
          history.versions().values().stream().map(state -> VersionView.of(host, state)).toList(),
          host.waitingForSources().get(job));
    }
  }

  /** A version as the registry lists it, and how it runs on this instance. */
  record VersionView(
      int version,
      String status,
      String applicationId,
      boolean partialHistory,
      boolean swapWhenCaughtUp,
      @Nullable String startedBy,
      @Nullable Long lateDropped,
      long lateDroppedWhileCatchingUp,
      @Nullable Boolean aligning,
      @Nullable String stateHere,
      List<TableView> tables) {

    static VersionView of(JobHost host, VersionState state) {
      JobVersion version = state.version();
      Optional<RunningJob> running = host.running(version);
      Optional<ReplayProgress> progress = host.progress(version);
      return new VersionView(
          version.number(),
          state.status().name(),
          version.applicationId(),
          state.partialHistory(),
          state.swapWhenCaughtUp(),
          state.startedBy(),
          progress.map(ReplayProgress::lateDropped).orElse(null),
          state.lateDropped(),
          progress.map(p -> p.alignment().aligning()).orElse(null),
          running.map(job -> job.state().name()).orElse(null),
          host.topology(version)
              .map(topology -> topology.job())
              .map(TableView::of)
              .orElse(List.of()));
    }
  }

  /** A serving table: its name, shape and the types of its keys and values. */
  record TableView(String name, String shape, String keyType, String valueType) {

    static List<TableView> of(KappaJob job) {
      return job.servingTables().stream().map(TableView::of).toList();
    }

    static TableView of(ServingTable<?, ?> table) {
      return new TableView(
          table.name(),
          table.shape().name(),
          table.keys().type().getName(),
          table.values().type().getName());
    }
  }

  /**
   * The Kafka Streams topology of a version, as {@link TopologyDescription} describes it: its
   * sub-topologies (the parts that share no stream and run as separate tasks) and global stores.
   */
  record TopologyView(
      String job,
      int version,
      String applicationId,
      List<SubtopologyView> subtopologies,
      List<GlobalStoreView> globalStores) {

    static TopologyView of(JobVersion version, JobTopology topology) {
      return of(version, topology.applicationId(), topology.topology().describe());
    }

    static TopologyView of(
        JobVersion version, String applicationId, TopologyDescription description) {
      return new TopologyView(
          version.job(),
          version.number(),
          applicationId,
          description.subtopologies().stream()
              .sorted(Comparator.comparingInt(TopologyDescription.Subtopology::id))
              .map(SubtopologyView::of)
              .toList(),
          description.globalStores().stream()
              .sorted(Comparator.comparingInt(TopologyDescription.GlobalStore::id))
              .map(GlobalStoreView::of)
              .toList());
    }
  }

  /** A sub-topology: its nodes, sources first, each after the nodes that feed it. */
  record SubtopologyView(int id, List<NodeView> nodes) {

    static SubtopologyView of(TopologyDescription.Subtopology subtopology) {
      return new SubtopologyView(
          subtopology.id(), ordered(subtopology.nodes()).stream().map(NodeView::of).toList());
    }

    /**
     * The nodes from the sources down, breadth first: {@code describe()} holds them in a set whose
     * order says nothing, and a reader (or a drawing) follows the stream from its sources.
     */
    private static List<TopologyDescription.Node> ordered(Set<TopologyDescription.Node> nodes) {
      Comparator<TopologyDescription.Node> byName =
          Comparator.comparing(TopologyDescription.Node::name);
      List<TopologyDescription.Node> order = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      Deque<TopologyDescription.Node> next = new ArrayDeque<>();
      nodes.stream()
          .filter(node -> node.predecessors().isEmpty())
          .sorted(byName)
          .forEach(next::add);
      while (!next.isEmpty()) {
        TopologyDescription.Node node = next.poll();
        if (seen.add(node.name())) {
          order.add(node);
          node.successors().stream().sorted(byName).forEach(next::add);
        }
      }
      // A node on a cycle with no source before it: still listed.
      nodes.stream().filter(node -> !seen.contains(node.name())).sorted(byName).forEach(order::add);
      return order;
    }
  }

  /**
   * A node of a sub-topology.
   *
   * @param kind {@code source}, {@code processor} or {@code sink}
   * @param topics the topics a source reads (a pattern as {@code /regex/}); empty for other nodes
   * @param topic the topic a sink writes; null for other nodes and for a sink that picks its topic
   *     per record
   * @param stores the state stores a processor uses; empty for other nodes
   * @param successors the names of the nodes it forwards to
   */
  record NodeView(
      String name,
      String kind,
      List<String> topics,
      @Nullable String topic,
      List<String> stores,
      List<String> successors) {

    static NodeView of(TopologyDescription.Node node) {
      List<String> successors =
          node.successors().stream().map(TopologyDescription.Node::name).sorted().toList();
      if (node instanceof TopologyDescription.Source source) {
        return new NodeView(
            source.name(), "source", sourceTopics(source), null, List.of(), successors);
      }
      if (node instanceof TopologyDescription.Sink sink) {
        return new NodeView(sink.name(), "sink", List.of(), sink.topic(), List.of(), successors);
      }
      List<String> stores =
          node instanceof TopologyDescription.Processor processor
              ? processor.stores().stream().sorted().toList()
              : List.of();
      return new NodeView(node.name(), "processor", List.of(), null, stores, successors);
    }

    private static List<String> sourceTopics(TopologyDescription.Source source) {
      if (source.topicSet() != null) {
        return source.topicSet().stream().sorted().toList();
      }
      return source.topicPattern() == null
          ? List.of()
          : List.of("/" + source.topicPattern().pattern() + "/");
    }
  }

  /** A global store: the source that fills it and the processor that writes it. */
  record GlobalStoreView(int id, NodeView source, NodeView processor) {

    static GlobalStoreView of(TopologyDescription.GlobalStore store) {
      return new GlobalStoreView(
          store.id(), NodeView.of(store.source()), NodeView.of(store.processor()));
    }
  }

  /** What a new version replays. */
  record PlanView(
      String job,
      int version,
      String applicationId,
      long records,
      boolean completeHistory,
      List<PartitionView> partitions) {

    static PlanView of(ReplayPlan plan) {
      return new PlanView(
          plan.version().job(),
          plan.version().number(),
          plan.version().applicationId(),
          plan.records(),
          plan.completeHistory(),
          plan.targets().entrySet().stream()
              .map(
                  target ->
                      new PartitionView(
                          target.getKey().topic(),
                          target.getKey().partition(),
                          plan.startOffsets().getOrDefault(target.getKey(), 0L),
                          target.getValue()))
              .sorted(
                  java.util.Comparator.comparing(PartitionView::topic)
                      .thenComparingInt(PartitionView::partition))
              .toList());
    }
  }

  /**
   * A source partition of a replay: where it starts and its target (the end offset when the version
   * started).
   */
  record PartitionView(String topic, int partition, long from, long target) {}

  /** A source partition of a replay in progress: records replayed, the target and the lag. */
  record ReplayedPartition(String topic, int partition, long replayed, long target, long lag) {}

  /**
   * How a version's sources are aligned by event time on the instance that answers.
   *
   * @param watermark the low watermark at the last release, while a partition held it
   */
  record AlignmentView(
      boolean aligning,
      @Nullable Instant watermark,
      double maxSkewSeconds,
      double observedDisorderSeconds,
      long heldRecords,
      int heldNow,
      long realignments) {

    static AlignmentView of(Alignment alignment) {
      return new AlignmentView(
          alignment.aligning(),
          alignment.watermark().orElse(null),
          alignment.maxSkew().toMillis() / 1000.0,
          alignment.observedDisorder().toMillis() / 1000.0,
          alignment.heldRecords(),
          alignment.heldNow(),
          alignment.realignments());
    }
  }

  /**
   * The replay progress of a version, measured on the instance that answers from the committed
   * offsets every instance shares; the late drops are those of every instance, in total and by step
   * of the topology (the tables and joins of one sub-topology).
   */
  record ProgressView(
      String job,
      int version,
      String instance,
      Instant at,
      long replayed,
      long target,
      double fraction,
      long inputLag,
      double recordsPerSecond,
      @Nullable Long secondsLeft,
      long lateDropped,
      Map<String, Long> lateDroppedByStep,
      AlignmentView alignment,
      boolean caughtUp,
      List<ReplayedPartition> partitions) {

    static ProgressView of(ReplayProgress progress, String instance) {
      return new ProgressView(
          progress.version().job(),
          progress.version().number(),
          instance,
          progress.at(),
          progress.replayed(),
          progress.target(),
          progress.fraction(),
          progress.inputLag(),
          progress.recordsPerSecond(),
          progress.timeLeft().map(java.time.Duration::toSeconds).orElse(null),
          progress.lateDropped(),
          progress.lateDroppedByStep(),
          AlignmentView.of(progress.alignment()),
          progress.caughtUp(),
          progress.partitions().stream().map(ProgressView::partition).toList());
    }

    private static ReplayedPartition partition(PartitionProgress partition) {
      return new ReplayedPartition(
          partition.partition().topic(),
          partition.partition().partition(),
          partition.replayed(),
          partition.target(),
          partition.lag());
    }
  }

  /** What retiring a version deleted. */
  record RetirementView(String job, int version, String deletedGroup, Set<String> deletedTopics) {

    static RetirementView of(JobHost.Retirement retirement) {
      return new RetirementView(
          retirement.version().job(),
          retirement.version().number(),
          retirement.deletedGroup(),
          retirement.deletedTopics());
    }
  }

  /** The body of a request to start a version. */
  record StartRequest(
      @Nullable Integer version,
      @Nullable Boolean acceptPartialHistory,
      @Nullable Boolean swapWhenCaughtUp) {}

  /** The body of a request to swap. */
  record SwapRequest(@Nullable Integer to, @Nullable Boolean force) {}
}
