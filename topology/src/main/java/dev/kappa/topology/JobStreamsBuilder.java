package dev.kappa.topology;

import dev.kappa.stores.PersistentStores;
import dev.kappa.topology.deadletter.InvalidRecordException;
import dev.kappa.topology.internal.EventTimeExtractor;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Aggregator;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Initializer;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KGroupedTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.KeyValueMapper;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Merger;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Reducer;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.SlidingWindows;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindowedKStream;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.ValueJoiner;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.WindowStore;
import org.jspecify.annotations.Nullable;

/**
 * The {@link StreamsBuilder} of one job, with helpers that add what the Kafka Streams DSL leaves to
 * each team: every operator, store and internal topic they add is named after the step, serving
 * tables are materialized in persistent RocksDB stores with a retention derived from their windows,
 * invalid records go to the dead-letter topic, and sinks write to the topics of the job's {@link
 * JobNaming}. Everything they take and return is a Kafka Streams type, and {@link
 * #streamsBuilder()} gives the plain builder for anything else.
 *
 * <pre>{@code
 * KStream<String, UsageEvent> readings =
 *     builder.validate("valid-readings", builder.stream(USAGE_EVENTS), (customer, e) -> problem(e));
 * KGroupedStream<String, UsageEvent> byNode = readings.groupBy((customer, e) -> e.nodeId(),
 *     Grouped.with("readings-by-node", Serdes.String(), USAGE_EVENTS.values().serde()));
 * builder.aggregate(byNode, TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), Duration.ofSeconds(30)),
 *     EmitStrategy.onWindowUpdate(), USAGE_BY_NODE, () -> Usage.NONE, (node, e, usage) -> usage.add(e));
 * }</pre>
 *
 * <p>Not thread-safe: it is used by one {@link TopologyDefinition} call.
 */
public final class JobStreamsBuilder {

  private final KappaJob job;
  private final JobNaming naming;
  private final StreamsBuilder streams;
  private final Map<String, KStream<?, ?>> sourceStreams = new HashMap<>();
  private final JobParts parts;
  private final PhasedAggregations phases;

  JobStreamsBuilder(KappaJob job, JobNaming naming, StreamsBuilder streams) {
    this.job = job;
    this.naming = naming;
    this.streams = streams;
    this.parts = new JobParts(job, naming);
    this.phases =
        new PhasedAggregations(
            job,
            parts::grace,
            (table, grid, retention) ->
                parts.serve(
                    table, ServingTable.Shape.WINDOWED, grid.longestWindow(), retention, grid));
  }

  /** The job being defined. */
  public KappaJob job() {
    return job;
  }

  /** The names of the deployment being built (application id, output topics). */
  public JobNaming naming() {
    return naming;
  }

  /**
   * The plain Kafka Streams builder, for operators without a helper here. Name every operator added
   * through it ({@code Named.as}, {@code Grouped.as}, {@code Materialized.as} ...): the topology is
   * rejected if any name is generated.
   */
  public StreamsBuilder streamsBuilder() {
    return streams;
  }

  /**
   * The stream of a declared source, read with its codecs and its event time. The source processor
   * is named {@code <topic>-source}. Asking twice for the same source returns the same stream.
   *
   * @throws JobDefinitionException if the job does not declare {@code source}
   */
  @SuppressWarnings("unchecked")
  public <K, V> KStream<K, V> stream(Source<K, V> source) {
    parts.read(source);
    return (KStream<K, V>)
        sourceStreams.computeIfAbsent(
            source.topic(),
            topic -> {
              Consumed<K, V> consumed =
                  Consumed.with(
                          source.keys().serde(),
                          Serdes.serdeFrom(
                              source.values().serde().serializer(), source.valueDeserializer()))
                      .withName(topic + "-source");
              if (source.eventTime() != null) {
                consumed =
                    consumed.withTimestampExtractor(new EventTimeExtractor<>(source.eventTime()));
              }
              return streams.stream(topic, consumed);
            });
  }

  /**
   * Passes on the records that {@code validator} accepts and sends every other record, and every
   * record without a value, to the job's dead-letter topic with the reason (as an {@link
   * InvalidRecordException}). The step is a processor named {@code name}.
   */
  public <K, V> KStream<K, V> validate(
      String name, KStream<K, V> stream, RecordValidator<? super K, ? super V> validator) {
    Names.checkOperator(name);
    Objects.requireNonNull(validator, "validator");
    return stream.peek(
        (key, value) -> {
          // Throwing hands the record to the processing exception handler, which dead-letters it
          // with its source coordinates; no try/catch here keeps that in one place.
          if (value == null) {
            throw new InvalidRecordException(name, "the record has no value");
          }
          Optional<String> problem = validator.problem(key, value);
          if (problem.isPresent()) {
            throw new InvalidRecordException(name, problem.get());
          }
        },
        Named.as(name));
  }

  /**
   * Writes {@code stream} to the topic of {@code sink} in this deployment, with the sink's codecs.
   * The sink processor is named {@code <sink>-sink}.
   *
   * @throws JobDefinitionException if the job does not declare {@code sink}
   */
  public <K, V> void to(KStream<K, V> stream, Sink<K, V> sink) {
    parts.write(sink);
    stream.to(
        naming.outputTopic(sink.name()),
        Produced.with(sink.keys().serde(), sink.values().serde()).withName(sink.name() + "-sink"));
  }

  /**
   * Aggregates {@code grouped} into the key-value serving table {@code table}. The aggregation
   * processor is named {@code <table>-aggregate} and its store is the table.
   */
  public <K, V, A> KTable<K, A> aggregate(
      KGroupedStream<K, V> grouped,
      ServingTable<K, A> table,
      Initializer<A> initializer,
      Aggregator<? super K, ? super V, A> aggregator) {
    parts.serve(table, ServingTable.Shape.KEY_VALUE, null, null, null);
    Materialized<K, A, KeyValueStore<Bytes, byte[]>> store =
        PersistentStores.keyValue(table.name(), table.keys(), table.values());
    return grouped.aggregate(initializer, aggregator, Named.as(table.name() + "-aggregate"), store);
  }

  /**
   * Aggregates the re-grouped table {@code grouped} into the key-value serving table {@code table}:
   * each new value of a row of the source table is added with {@code adder}, and its previous value
   * is taken out with {@code subtractor}, so that the aggregate follows rows that change or move to
   * another group ({@link KGroupedTable#aggregate}). When a row changes within one group, Kafka
   * Streams takes the old value out before it adds the new one. The aggregation processor is named
   * {@code <table>-aggregate} and its store is the table.
   *
   * <pre>{@code
   * // the latest balance of each account, summed per region
   * builder.aggregate(
   *     balances.groupBy((account, balance) -> KeyValue.pair(balance.region(), balance.amount()),
   *         Grouped.with("balances-by-region", Serdes.String(), Serdes.Long())),
   *     BALANCE_BY_REGION, () -> 0L,
   *     (region, amount, sum) -> sum + amount, (region, amount, sum) -> sum - amount);
   * }</pre>
   */
  public <K, V, A> KTable<K, A> aggregate(
      KGroupedTable<K, V> grouped,
      ServingTable<K, A> table,
      Initializer<A> initializer,
      Aggregator<? super K, ? super V, A> adder,
      Aggregator<? super K, ? super V, A> subtractor) {
    parts.serve(table, ServingTable.Shape.KEY_VALUE, null, null, null);
    Materialized<K, A, KeyValueStore<Bytes, byte[]>> store =
        PersistentStores.keyValue(table.name(), table.keys(), table.values());
    return grouped.aggregate(
        initializer, adder, subtractor, Named.as(table.name() + "-aggregate"), store);
  }

  /**
   * Adds the store of the key-value serving table {@code table} for a processor of the job's own to
   * write, where no aggregation fits: rows that are deleted as time passes, say. Connect the store
   * to each processor that uses it by the table's name, and get it there as a {@code
   * TimestampedKeyValueStore<K, V>}; it is persistent, logged and cached, as the stores of the
   * aggregations are, and it is queried like them.
   *
   * <pre>{@code
   * builder.addServingStore(CURRENT_STATE);
   * KStream<String, Alert> alerts =
   *     events.process(StateTracker::new, Named.as("track-state"), CURRENT_STATE.name());
   * }</pre>
   */
  public <K, V> void addServingStore(ServingTable<K, V> table) {
    parts.serve(table, ServingTable.Shape.KEY_VALUE, null, null, null);
    streams.addStateStore(
        PersistentStores.keyValueStoreBuilder(table.name(), table.keys(), table.values()));
  }

  /**
   * Aggregates {@code grouped} over tumbling or hopping {@code windows} into the windowed serving
   * table {@code table}.
   *
   * <p>The table's store holds every update of every window, for the table's retention (at least
   * size + grace). The returned table emits every update with {@link
   * EmitStrategy#onWindowUpdate()}, or with {@link EmitStrategy#onWindowClose()} only the final
   * result of each window once its grace period has passed (by suppression, named {@code
   * <table>-until-window-closes}). A record that arrives after the grace period of its window is
   * dropped and counted in Kafka Streams' {@code dropped-records} metric. The aggregation processor
   * is named {@code <table>-aggregate}.
   */
  public <K, V, A> KTable<Windowed<K>, A> aggregate(
      KGroupedStream<K, V> grouped,
      TimeWindows windows,
      EmitStrategy emit,
      ServingTable<K, A> table,
      Initializer<A> initializer,
      Aggregator<? super K, ? super V, A> aggregator) {
    Duration retention = retention(table, PersistentStores.minimumRetention(windows));
    parts.grace(table.name(), Duration.ofMillis(windows.gracePeriodMs()));
    return aggregateWindows(
        grouped.windowedBy(windows),
        Duration.ofMillis(windows.size()),
        PersistentStores.window(table.name(), table.keys(), table.values(), windows, retention),
        retention,
        emit,
        table,
        initializer,
        aggregator);
  }

  /**
   * Aggregates {@code grouped} over sliding {@code windows} into the windowed serving table {@code
   * table}; see {@link #aggregate(KGroupedStream, TimeWindows, EmitStrategy, ServingTable,
   * Initializer, Aggregator)} for names and emission. The store keeps windows for at least twice
   * the time difference + grace.
   */
  public <K, V, A> KTable<Windowed<K>, A> aggregate(
      KGroupedStream<K, V> grouped,
      SlidingWindows windows,
      EmitStrategy emit,
      ServingTable<K, A> table,
      Initializer<A> initializer,
      Aggregator<? super K, ? super V, A> aggregator) {
    Duration retention = retention(table, PersistentStores.minimumRetention(windows));
    parts.grace(table.name(), Duration.ofMillis(windows.gracePeriodMs()));
    return aggregateWindows(
        grouped.windowedBy(windows),
        Duration.ofMillis(windows.timeDifferenceMs()),
        PersistentStores.window(table.name(), table.keys(), table.values(), windows, retention),
        retention,
        emit,
        table,
        initializer,
        aggregator);
  }

  /**
   * Aggregates {@code grouped} over session {@code windows} into the session serving table {@code
   * table}, merging sessions that a record joins with {@code merger}; see {@link
   * #aggregate(KGroupedStream, TimeWindows, EmitStrategy, ServingTable, Initializer, Aggregator)}
   * for names and emission. The store keeps sessions for at least inactivity gap + grace.
   */
  public <K, V, A> KTable<Windowed<K>, A> aggregate(
      KGroupedStream<K, V> grouped,
      SessionWindows windows,
      EmitStrategy emit,
      ServingTable<K, A> table,
      Initializer<A> initializer,
      Aggregator<? super K, ? super V, A> aggregator,
      Merger<? super K, A> merger) {
    Duration retention = retention(table, PersistentStores.minimumRetention(windows));
    parts.grace(table.name(), Duration.ofMillis(windows.gracePeriodMs()));
    parts.serve(table, ServingTable.Shape.SESSION, null, retention, null);
    Materialized<K, A, SessionStore<Bytes, byte[]>> store =
        PersistentStores.session(table.name(), table.keys(), table.values(), windows, retention);
    KTable<Windowed<K>, A> updates =
        grouped
            .windowedBy(windows)
            .aggregate(
                initializer, aggregator, merger, Named.as(table.name() + "-aggregate"), store);
    return emit(updates, emit, table);
  }

  /**
   * Aggregates {@code stream} by the coarser key {@code groupBy} over tumbling {@code windows} into
   * the windowed serving table {@code table}, in two phases, so that records do not cross a
   * repartition topic: partial aggregates do.
   *
   * <ol>
   *   <li>Each task adds its own records, as {@code aggregator} adds them to {@code initializer}'s
   *       value, into one partial aggregate per (group key, window), in a store named {@code
   *       <table>-partials} whose changelog takes it before the task's next commit. A record that
   *       arrives after the grace period of its window, by the stream time of its own task, is
   *       dropped and counted in Kafka Streams' {@code dropped-records} metric.
   *   <li>Every second, each task sends its partials through the repartition topic {@code
   *       <table>-partials}, keyed by group key, and removes them from its store; under
   *       exactly-once both happen in the transaction that commits the records they hold.
   *   <li>The task of each group key adds the partials of all tasks with {@code merge} into the
   *       table (processor {@code <table>-aggregate}).
   * </ol>
   *
   * <p>A key that every record shares (a total over all records) is then aggregated by every task,
   * not by the one task that holds the key. {@code merge} must add partials as {@code aggregator}
   * adds records: adding the records of two partials one by one gives their merge. The table is
   * updated as partials arrive ({@link EmitStrategy#onWindowUpdate()}); it keeps windows for its
   * retention, by default size + grace, and coarser tables can be rolled up from the returned
   * table.
   *
   * @throws IllegalArgumentException if {@code windows} hop
   */
  public <K, V, G, A> WindowedTable<G, A> aggregate(
      KStream<K, V> stream,
      KeyValueMapper<? super K, ? super V, ? extends G> groupBy,
      TimeWindows windows,
      ServingTable<G, A> table,
      Initializer<A> initializer,
      Aggregator<? super G, ? super V, A> aggregator,
      Reducer<A> merge) {
    return phases.aggregate(stream, groupBy, true, windows, table, initializer, aggregator, merge);
  }

  /**
   * Like {@link #aggregate(KStream, KeyValueMapper, TimeWindows, ServingTable, Initializer,
   * Aggregator, Reducer)}, grouped by the key of {@code stream}, which must be partitioned by it (a
   * source stream, or one that went through {@link KStream#repartition}): the partials of a task
   * are its own keys', so they are added into the table in the same task, with no repartition. The
   * table's store and changelog take one update per key and window a second, not one per record,
   * and rollups can be built from the table: worth it where keys repeat within a second. Where they
   * rarely do (100,000 customers), {@link #aggregate(KGroupedStream, TimeWindows, EmitStrategy,
   * ServingTable, Initializer, Aggregator)} is cheaper.
   */
  public <K, V, A> WindowedTable<K, A> aggregateByKey(
      KStream<K, V> stream,
      TimeWindows windows,
      ServingTable<K, A> table,
      Initializer<A> initializer,
      Aggregator<? super K, ? super V, A> aggregator,
      Reducer<A> merge) {
    return phases.aggregate(
        stream, (key, value) -> key, false, windows, table, initializer, aggregator, merge);
  }

  /**
   * Rolls the windowed table {@code finer} up into the coarser windowed serving table {@code
   * table}: the windows of {@code grid} (which the windows of {@code finer} must fit into, as
   * minutes fit into hours) of the keys {@code key} maps the keys of {@code finer} to (as nodes map
   * to their agent). The rollup adds up partial aggregates of {@code finer}, with its merge, not
   * records: the task of each key of {@code finer} adds its partials into partials of the coarser
   * table, sends them every second through the repartition topic {@code <table>-partials}, and the
   * task of each coarser key adds them into {@code table}, exactly as {@link #aggregate(KStream,
   * KeyValueMapper, TimeWindows, ServingTable, Initializer, Aggregator, Reducer)} does. No record
   * is late here: the table counts what {@code finer} counts.
   *
   * <p>The table keeps windows for its retention, by default its longest window plus what {@code
   * finer} keeps beyond its own longest window. It may be rolled up further.
   *
   * @throws JobDefinitionException if the windows of {@code finer} do not fit into {@code grid}
   */
  public <K, G, A> WindowedTable<G, A> rollUp(
      WindowedTable<K, A> finer,
      Function<? super K, ? extends G> key,
      TimeGrid grid,
      ServingTable<G, A> table) {
    Objects.requireNonNull(key, "key");
    return phases.rollUp(finer, (k, partial) -> key.apply(k), true, grid, table);
  }

  /**
   * Rolls the windowed table {@code finer} up into the longer windows of {@code grid}, key by key:
   * the task of each key adds its windows into the coarser ones, with no repartition. See {@link
   * #rollUp(WindowedTable, Function, TimeGrid, ServingTable)}.
   *
   * @throws JobDefinitionException if the windows of {@code finer} do not fit into {@code grid}
   */
  public <K, A> WindowedTable<K, A> rollUp(
      WindowedTable<K, A> finer, TimeGrid grid, ServingTable<K, A> table) {
    return phases.rollUp(finer, (k, partial) -> k, false, grid, table);
  }

  /**
   * Joins each record of {@code left} with each record of {@code right} of the same key whose
   * timestamps are within {@code windows} of each other. A record arriving after the window's grace
   * period is not joined. The join's processors and stores are named {@code <name>-...}, and both
   * inputs are checked for co-partitioning when the job starts.
   *
   * @param joined the serdes of the key and of both values; its names are replaced by {@code name}
   */
  public <K, L, R, J> KStream<K, J> join(
      String name,
      KStream<K, L> left,
      KStream<K, R> right,
      JoinWindows windows,
      ValueJoiner<? super L, ? super R, ? extends J> joiner,
      StreamJoined<K, L, R> joined) {
    StreamJoined<K, L, R> named = named(name, joined);
    parts.grace(name, Duration.ofMillis(windows.gracePeriodMs()));
    return left.join(right, joiner, windows, named);
  }

  /**
   * Like {@link #join}, and also emits each record of {@code left} that found no match, with a
   * {@code null} right value, once its window has closed (window + grace).
   *
   * <p>A left record that arrives more than the time difference after it ({@code windows}' after)
   * behind its task's stream time, with no match so far, is emitted alone at once, even if a match
   * arrives later within the grace: Kafka Streams does not hold it. So the job's lateness bound
   * ({@link JobTopology#smallestGrace()}) counts that time difference as well as the grace.
   */
  public <K, L, R, J> KStream<K, J> leftJoin(
      String name,
      KStream<K, L> left,
      KStream<K, R> right,
      JoinWindows windows,
      ValueJoiner<? super L, ? super @Nullable R, ? extends J> joiner,
      StreamJoined<K, L, R> joined) {
    StreamJoined<K, L, R> named = named(name, joined);
    parts.grace(name, Duration.ofMillis(windows.gracePeriodMs()));
    parts.grace(name, Duration.ofMillis(windows.afterMs));
    return left.leftJoin(right, joiner, windows, named);
  }

  /**
   * Like {@link #join}, and also emits each record of either side that found no match, with a
   * {@code null} for the other side, once its window has closed (window + grace). As in {@link
   * #leftJoin}, a record that arrives more than the time difference on its side behind the stream
   * time, with no match so far, is emitted alone at once.
   */
  public <K, L, R, J> KStream<K, J> outerJoin(
      String name,
      KStream<K, L> left,
      KStream<K, R> right,
      JoinWindows windows,
      ValueJoiner<? super @Nullable L, ? super @Nullable R, ? extends J> joiner,
      StreamJoined<K, L, R> joined) {
    StreamJoined<K, L, R> named = named(name, joined);
    parts.grace(name, Duration.ofMillis(windows.gracePeriodMs()));
    parts.grace(name, Duration.ofMillis(Math.min(windows.afterMs, windows.beforeMs)));
    return left.outerJoin(right, joiner, windows, named);
  }

  /** What time and sliding windows share: their table is windowed, named, and emitted alike. */
  private <K, V, A> KTable<Windowed<K>, A> aggregateWindows(
      TimeWindowedKStream<K, V> windowed,
      Duration windowSize,
      Materialized<K, A, WindowStore<Bytes, byte[]>> store,
      Duration retention,
      EmitStrategy emit,
      ServingTable<K, A> table,
      Initializer<A> initializer,
      Aggregator<? super K, ? super V, A> aggregator) {
    parts.serve(table, ServingTable.Shape.WINDOWED, windowSize, retention, null);
    KTable<Windowed<K>, A> updates =
        windowed.aggregate(initializer, aggregator, Named.as(table.name() + "-aggregate"), store);
    return emit(updates, emit, table);
  }

  private <K, L, R> StreamJoined<K, L, R> named(String name, StreamJoined<K, L, R> joined) {
    parts.join(name);
    return joined.withName(name).withStoreName(name);
  }

  private <K, A> KTable<Windowed<K>, A> emit(
      KTable<Windowed<K>, A> updates, EmitStrategy emit, ServingTable<K, A> table) {
    if (emit.type() != EmitStrategy.StrategyType.ON_WINDOW_CLOSE) {
      return updates;
    }
    // Suppression holds each window's latest result until stream time passes window end + grace,
    // then emits it once: exact final results, whatever the wall-clock time.
    return updates.suppress(
        Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded())
            .withName(table.name() + "-until-window-closes"));
  }

  static Duration retention(ServingTable<?, ?> table, Duration minimum) {
    return table.retention() == null ? minimum : table.retention();
  }

  /** Checks that every declared part was used, and describes the built topology. */
  JobTopology complete(Topology topology, Map<String, Duration> windowedChangelogs) {
    return parts.complete(topology, windowedChangelogs);
  }
}
