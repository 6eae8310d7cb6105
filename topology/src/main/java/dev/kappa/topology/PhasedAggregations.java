package dev.kappa.topology;

import dev.kappa.stores.PersistentStores;
import dev.kappa.topology.internal.PartialAggregation;
import dev.kappa.topology.internal.PartialMerge;
import dev.kappa.topology.internal.WindowChange;
import dev.kappa.topology.internal.WindowPartial;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.Aggregator;
import org.apache.kafka.streams.kstream.Initializer;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KeyValueMapper;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Reducer;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.WindowedSerdes;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;

/**
 * How {@link JobStreamsBuilder} builds window aggregations in two phases and rollups: the partial
 * aggregation of each task, the repartition of its partials, and their merge into the serving
 * table. Used by one builder, for one topology.
 */
final class PhasedAggregations {

  /** Records that a table is served, with the windows of its grid, kept for its retention. */
  @FunctionalInterface
  interface Serving {
    void serve(ServingTable<?, ?> table, TimeGrid grid, Duration retention);
  }

  private final KappaJob job;
  private final BiConsumer<String, Duration> graces;
  private final Serving serving;

  PhasedAggregations(KappaJob job, BiConsumer<String, Duration> graces, Serving serving) {
    this.job = job;
    this.graces = graces;
    this.serving = serving;
  }

  <K, V, G, A> WindowedTable<G, A> aggregate(
      KStream<K, V> stream,
      KeyValueMapper<? super K, ? super V, ? extends G> groupBy,
      boolean repartition,
      TimeWindows windows,
      ServingTable<G, A> table,
      Initializer<A> initializer,
      Aggregator<? super G, ? super V, A> aggregator,
      Reducer<A> merge) {
    Objects.requireNonNull(groupBy, "groupBy");
    TimeGrid grid = TimeGrid.of(windows);
    Duration grace = Duration.ofMillis(windows.gracePeriodMs());
    Duration retention =
        JobStreamsBuilder.retention(table, PersistentStores.minimumRetention(windows));
    graces.accept(table.name(), grace);
    KStream<G, WindowPartial<A>> partials =
        stream.process(
            PartialAggregation.ofRecords(
                partialStore(table, grid), groupBy, grid, grace, initializer, aggregator),
            Named.as(table.name() + "-partials"));
    return mergeInto(partials, repartition, grid, retention, table, merge);
  }

  <K, G, A> WindowedTable<G, A> rollUp(
      WindowedTable<K, A> finer,
      KeyValueMapper<? super K, ? super WindowChange<A>, ? extends G> key,
      boolean repartition,
      TimeGrid grid,
      ServingTable<G, A> table) {
    Objects.requireNonNull(grid, "grid");
    if (!finer.grid().fitsInto(grid)) {
      throw new JobDefinitionException(
          "Job '"
              + job.name()
              + "' rolls table '"
              + finer.servingTable().name()
              + "' up into '"
              + table.name()
              + "', but its windows of "
              + finer.grid()
              + " do not fit into windows of "
              + grid
              + ": roll up into windows that are a whole number of the finer ones");
    }
    Duration margin = finer.retention().minus(finer.grid().longestWindow());
    Duration retention = JobStreamsBuilder.retention(table, grid.longestWindow().plus(margin));
    KStream<G, WindowPartial<A>> partials =
        finer
            .changes()
            .process(
                PartialAggregation.ofChanges(partialStore(table, grid), key, grid, finer.merge()),
                Named.as(table.name() + "-partials"));
    return mergeInto(partials, repartition, grid, retention, table, finer.merge());
  }

  private <G, A> WindowedTable<G, A> mergeInto(
      KStream<G, WindowPartial<A>> partials,
      boolean repartition,
      TimeGrid grid,
      Duration retention,
      ServingTable<G, A> table,
      Reducer<A> merge) {
    serving.serve(table, grid, retention);
    KStream<G, WindowPartial<A>> arriving =
        repartition
            ? partials.repartition(
                Repartitioned.<G, WindowPartial<A>>as(table.name() + "-partials")
                    .withKeySerde(table.keys().serde())
                    .withValueSerde(WindowPartial.serde(table.values().serde())))
            : partials;
    KStream<G, WindowChange<A>> merged =
        arriving.process(
            new PartialMerge<>(
                PersistentStores.windowStoreBuilder(
                    table.name(), table.keys(), table.values(), grid.longestWindow(), retention),
                merge),
            Named.as(table.name() + "-aggregate"));
    return new WindowedTable<>(table, grid, retention, merge, merged);
  }

  /**
   * The store of a table's partials, keyed by group key and window start: on the heap, since it
   * holds only the partials not sent yet, logged, so that a restarted task has them back, and
   * cached by Kafka Streams' record cache, so that the changelog takes a partial once per commit,
   * not once per record, and a task whose transaction is aborted drops what it had not committed.
   */
  private static <G, A> StoreBuilder<TimestampedKeyValueStore<Windowed<G>, A>> partialStore(
      ServingTable<G, A> table, TimeGrid grid) {
    Serde<Windowed<G>> keys =
        new WindowedSerdes.TimeWindowedSerde<>(
            table.keys().serde(), grid.longestWindow().toMillis());
    return Stores.timestampedKeyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(table.name() + "-partials"), keys, table.values().serde())
        .withLoggingEnabled(Map.of())
        .withCachingEnabled();
  }
}
