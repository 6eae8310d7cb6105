package dev.kappa.api.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kappa.api.admin.Views.NodeView;
import dev.kappa.api.admin.Views.SubtopologyView;
import dev.kappa.api.admin.Views.TopologyView;
import dev.kappa.reprocessing.JobVersion;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class TopologyViewTest {

  private static final JobVersion V2 = JobVersion.of("meters", 2);

  @Test
  void shouldListEachSubtopologysNodesFromTheSourcesDownWithTheirTopicsStoresAndSuccessors() {
    Topology topology = new Topology();
    // Sub-topology 0: source -> count (a store) -> sink. Names sort against the stream's order, so
    // an order taken from the names would put the sink first.
    topology.addSource("z-source", "readings");
    topology.addProcessor("m-count", () -> new Forward(), "z-source");
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore("counts"), Serdes.String(), Serdes.Long()),
        "m-count");
    topology.addSink("a-sink", "counts-out", "m-count");
    // Sub-topology 1, apart from the first: a source read by a pattern.
    topology.addSource("other-source", Pattern.compile("other-.*"));
    topology.addProcessor("other-log", () -> new Forward(), "other-source");
    topology.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("sites"), Serdes.String(), Serdes.String())
            .withLoggingDisabled(),
        "sites-source",
        Serdes.String().deserializer(),
        Serdes.String().deserializer(),
        "sites",
        "sites-loader",
        Load::new);

    TopologyView view = TopologyView.of(V2, "meters-v2", topology.describe());

    assertThat(view.job()).isEqualTo("meters");
    assertThat(view.version()).isEqualTo(2);
    assertThat(view.applicationId()).isEqualTo("meters-v2");
    assertThat(view.subtopologies()).extracting(SubtopologyView::id).containsExactly(0, 1);
    assertThat(view.subtopologies().get(0).nodes())
        .extracting(
            NodeView::name,
            NodeView::kind,
            NodeView::topics,
            NodeView::topic,
            NodeView::stores,
            NodeView::successors)
        .containsExactly(
            tuple("z-source", "source", List.of("readings"), null, List.of(), List.of("m-count")),
            tuple("m-count", "processor", List.of(), null, List.of("counts"), List.of("a-sink")),
            tuple("a-sink", "sink", List.of(), "counts-out", List.of(), List.of()));
    assertThat(view.subtopologies().get(1).nodes())
        .extracting(NodeView::name, NodeView::topics)
        .containsExactly(
            tuple("other-source", List.of("/other-.*/")), tuple("other-log", List.of()));
    assertThat(view.globalStores()).hasSize(1);
    assertThat(view.globalStores().get(0).source().topics()).containsExactly("sites");
    assertThat(view.globalStores().get(0).processor().stores()).containsExactly("sites");
  }

  /** Forwards every record; what it does is not what the view shows. */
  private static final class Forward implements Processor<Object, Object, Object, Object> {
    private ProcessorContext<Object, Object> context;

    @Override
    public void init(ProcessorContext<Object, Object> c) {
      context = c;
    }

    @Override
    public void process(Record<Object, Object> record) {
      context.forward(record);
    }
  }

  /** Fills the global store; what it does is not what the view shows. */
  private static final class Load implements Processor<String, String, Void, Void> {
    @Override
    public void process(Record<String, String> record) {}
  }
}
