package dev.kappa.topology.internal;

import dev.kappa.topology.TimeGrid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Aggregator;
import org.apache.kafka.streams.kstream.Initializer;
import org.apache.kafka.streams.kstream.KeyValueMapper;
import org.apache.kafka.streams.kstream.Reducer;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.internals.TimeWindow;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.internals.metrics.StreamsMetricsImpl;
import org.apache.kafka.streams.processor.internals.metrics.TaskMetrics;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first phase of a window aggregation: each task adds its own records into one partial
 * aggregate per (group key, window) and, every second of wall-clock time ({@link #SEND_INTERVAL}),
 * sends each partial on, keyed by its group key, and forgets it. Downstream, {@link PartialMerge}
 * adds the partials of all tasks into the window totals.
 *
 * <p>Each record's partial goes into a logged store at once (cached by Kafka Streams' record cache,
 * which writes it to the changelog when the task commits), so at a commit the changelog holds every
 * partial not yet sent, and under exactly-once the partials sent, their removal from the store and
 * the input offsets commit together. A crash therefore loses no partial and sends none twice. (The
 * store keeps its data on the heap, not in RocksDB: it holds only what its task has not sent yet,
 * and a restarted task reads it back from the changelog.)
 *
 * <p>Records are either raw records, with an {@link Aggregator} and the lateness rule of Kafka
 * Streams' window aggregation ({@link #ofRecords}), or partials of a finer table being rolled up
 * ({@link #ofChanges}), which are never late: whether they counted was decided when their records
 * were.
 */
public final class PartialAggregation<KIn, VIn, G, A>
    implements ProcessorSupplier<KIn, VIn, G, WindowPartial<A>> {

  private static final Logger log = LoggerFactory.getLogger(PartialAggregation.class);

  /**
   * How often a task sends its partials, whatever the commit interval: the longer, the more records
   * a partial holds (a task that reads 5,000 records a second of 1,000 group keys sends about 2 per
   * key every 100 ms, 5 per key every second) and the later the table shows them.
   */
  public static final Duration SEND_INTERVAL = Duration.ofSeconds(1);

  /** What one record adds to a partial; {@code partial} is null for a window's first record. */
  @FunctionalInterface
  private interface Adder<G, VIn, A> {
    A add(G group, VIn value, @Nullable A partial);
  }

  private final StoreBuilder<TimestampedKeyValueStore<Windowed<G>, A>> store;
  private final KeyValueMapper<? super KIn, ? super VIn, ? extends G> groupBy;
  private final ToLongFunction<Record<KIn, VIn>> windowStart;
  private final TimeGrid grid;
  private final @Nullable Duration grace;
  private final Adder<G, VIn, A> adder;

  private PartialAggregation(
      StoreBuilder<TimestampedKeyValueStore<Windowed<G>, A>> store,
      KeyValueMapper<? super KIn, ? super VIn, ? extends G> groupBy,
      ToLongFunction<Record<KIn, VIn>> windowStart,
      TimeGrid grid,
      @Nullable Duration grace,
      Adder<G, VIn, A> adder) {
    this.store = store;
    this.groupBy = groupBy;
    this.windowStart = windowStart;
    this.grid = grid;
    this.grace = grace;
    this.adder = adder;
  }

  /**
   * Partials of raw records in the windows of {@code grid}: a record whose window ended {@code
   * grace} or longer before the task's stream time is dropped and counted in Kafka Streams' {@code
   * dropped-records} metric, as Kafka Streams' window aggregation drops it.
   */
  public static <K, V, G, A> PartialAggregation<K, V, G, A> ofRecords(
      StoreBuilder<TimestampedKeyValueStore<Windowed<G>, A>> store,
      KeyValueMapper<? super K, ? super V, ? extends G> groupBy,
      TimeGrid grid,
      Duration grace,
      Initializer<A> initializer,
      Aggregator<? super G, ? super V, A> aggregator) {
    Objects.requireNonNull(initializer, "initializer");
    Objects.requireNonNull(aggregator, "aggregator");
    return new PartialAggregation<>(
        store,
        groupBy,
        record -> grid.startOf(record.timestamp()),
        grid,
        grace,
        (group, value, partial) ->
            aggregator.apply(group, value, partial == null ? initializer.apply() : partial));
  }

  /**
   * Partials of the partials that changed a finer table ({@link PartialMerge}), in the coarser
   * windows of {@code grid}.
   */
  public static <K, G, A> PartialAggregation<K, WindowChange<A>, G, A> ofChanges(
      StoreBuilder<TimestampedKeyValueStore<Windowed<G>, A>> store,
      KeyValueMapper<? super K, ? super WindowChange<A>, ? extends G> groupBy,
      TimeGrid grid,
      Reducer<A> merge) {
    Objects.requireNonNull(merge, "merge");
    return new PartialAggregation<>(
        store,
        groupBy,
        record -> grid.startOf(record.value().windowStart()),
        grid,
        null,
        (group, finer, partial) ->
            partial == null ? finer.partial() : merge.apply(partial, finer.partial()));
  }

  @Override
  public Set<StoreBuilder<?>> stores() {
    return Set.of(store);
  }

  @Override
  public Processor<KIn, VIn, G, WindowPartial<A>> get() {
    return new Partials();
  }

  private final class Partials implements Processor<KIn, VIn, G, WindowPartial<A>> {

    private ProcessorContext<G, WindowPartial<A>> context;
    private TimestampedKeyValueStore<Windowed<G>, A> partials;
    private Sensor dropped;
    // The largest timestamp this step has seen: a window closes by the records that reach it, not
    // by the task's stream time, which another input of the task (a source read beside a
    // repartition topic) may move ahead of records still on their way. As Kafka Streams' own
    // window aggregations do; after a restart it starts again from the records that arrive.
    private long observed = Long.MIN_VALUE;

    @Override
    public void init(ProcessorContext<G, WindowPartial<A>> context) {
      this.context = context;
      this.partials = context.getStateStore(store.name());
      this.dropped =
          TaskMetrics.droppedRecordsSensor(
              Thread.currentThread().getName(),
              context.taskId().toString(),
              (StreamsMetricsImpl) context.metrics());
      context.schedule(SEND_INTERVAL, PunctuationType.WALL_CLOCK_TIME, t -> send());
    }

    @Override
    public void process(Record<KIn, VIn> record) {
      observed = Math.max(observed, record.timestamp());
      long start = windowStart.applyAsLong(record);
      if (grace != null && grid.endOf(start) + grace.toMillis() <= observed) {
        dropped.record();
        // As Kafka Streams' window aggregations log theirs.
        log.warn(
            "Skipping record for expired window. store=[{}] task=[{}] topic=[{}] partition=[{}]"
                + " offset=[{}] timestamp=[{}] window=[{},{}) observed=[{}]",
            store.name(),
            context.taskId(),
            context.recordMetadata().map(m -> m.topic()).orElse(null),
            context.recordMetadata().map(m -> m.partition()).orElse(null),
            context.recordMetadata().map(m -> m.offset()).orElse(null),
            record.timestamp(),
            start,
            grid.endOf(start),
            observed);
        return;
      }
      G group = groupBy.apply(record.key(), record.value());
      Windowed<G> key = new Windowed<>(group, new TimeWindow(start, grid.endOf(start)));
      ValueAndTimestamp<A> partial = partials.get(key);
      A added = adder.add(group, record.value(), partial == null ? null : partial.value());
      long timestamp =
          partial == null ? record.timestamp() : Math.max(partial.timestamp(), record.timestamp());
      // Into the store at once: under exactly-once, a commit may come before the next send.
      partials.put(key, ValueAndTimestamp.make(added, timestamp));
    }

    /**
     * Sends every partial in the store on, then deletes it: both reach the log in the same
     * transaction. The store is the only record of what is pending, so a task restored from its
     * changelog sends exactly what its store holds.
     */
    private void send() {
      List<Windowed<G>> sent = new ArrayList<>();
      try (KeyValueIterator<Windowed<G>, ValueAndTimestamp<A>> all = partials.all()) {
        while (all.hasNext()) {
          KeyValue<Windowed<G>, ValueAndTimestamp<A>> partial = all.next();
          context.forward(
              new Record<>(
                  partial.key.key(),
                  new WindowPartial<>(partial.key.window().start(), partial.value.value()),
                  partial.value.timestamp()));
          sent.add(partial.key);
        }
      }
      sent.forEach(key -> partials.put(key, null));
    }
  }
}
