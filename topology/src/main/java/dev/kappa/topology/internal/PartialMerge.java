package dev.kappa.topology.internal;

import java.util.Objects;
import java.util.Set;
import org.apache.kafka.streams.kstream.Reducer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * The second phase of a window aggregation: adds each partial ({@link PartialAggregation}) into the
 * total of its key and window in the table's window store, and passes the partial on with the new
 * total ({@link WindowChange}), for the rollups built from the table and its updates. A partial is
 * never late here: its records were checked when they were added. The store keeps a window as long
 * as its retention; a partial of a window that the store has already dropped is lost, as in any
 * window store.
 */
public final class PartialMerge<K, A>
    implements ProcessorSupplier<K, WindowPartial<A>, K, WindowChange<A>> {

  private final StoreBuilder<TimestampedWindowStore<K, A>> store;
  private final Reducer<A> merge;

  /** Merges partials with {@code merge} into the table {@code store}. */
  public PartialMerge(StoreBuilder<TimestampedWindowStore<K, A>> store, Reducer<A> merge) {
    this.store = Objects.requireNonNull(store, "store");
    this.merge = Objects.requireNonNull(merge, "merge");
  }

  @Override
  public Set<StoreBuilder<?>> stores() {
    return Set.of(store);
  }

  @Override
  public Processor<K, WindowPartial<A>, K, WindowChange<A>> get() {
    return new Processor<>() {
      private ProcessorContext<K, WindowChange<A>> context;
      private TimestampedWindowStore<K, A> totals;

      @Override
      public void init(ProcessorContext<K, WindowChange<A>> context) {
        this.context = context;
        this.totals = context.getStateStore(store.name());
      }

      @Override
      public void process(Record<K, WindowPartial<A>> record) {
        WindowPartial<A> partial = record.value();
        long start = partial.windowStart();
        ValueAndTimestamp<A> total = totals.fetch(record.key(), start);
        ValueAndTimestamp<A> merged =
            total == null
                ? ValueAndTimestamp.make(partial.value(), record.timestamp())
                : ValueAndTimestamp.make(
                    merge.apply(total.value(), partial.value()),
                    Math.max(total.timestamp(), record.timestamp()));
        totals.put(record.key(), merged, start);
        context.forward(
            record.withValue(new WindowChange<>(start, partial.value(), merged.value())));
      }
    };
  }
}
