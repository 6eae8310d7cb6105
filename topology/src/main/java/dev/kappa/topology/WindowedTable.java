package dev.kappa.topology;

import dev.kappa.topology.internal.PartialAggregation;
import dev.kappa.topology.internal.WindowChange;
import java.time.Duration;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Reducer;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.internals.TimeWindow;
import org.jspecify.annotations.Nullable;

/**
 * A windowed serving table that {@link JobStreamsBuilder} aggregates from partial aggregates, and
 * from which coarser tables can be rolled up ({@link JobStreamsBuilder#rollUp}): by key (node →
 * agent → network), by time (minute → hour → day → month), or both.
 *
 * <p>The table is updated from partials that each task sends every second, so an update of the
 * table may lag its records by a second (a second more for each level of rollup); it is queried
 * like any windowed serving table.
 *
 * @param <K> the key of the table
 * @param <A> the aggregate
 */
public final class WindowedTable<K, A> {

  /** How often each task sends its partials of the table on: every second of wall-clock time. */
  public static final Duration SEND_INTERVAL = PartialAggregation.SEND_INTERVAL;

  private final ServingTable<K, A> table;
  private final TimeGrid grid;
  private final Duration retention;
  private final Reducer<A> merge;
  private final KStream<K, WindowChange<A>> changes;
  private @Nullable KStream<Windowed<K>, A> updates;

  WindowedTable(
      ServingTable<K, A> table,
      TimeGrid grid,
      Duration retention,
      Reducer<A> merge,
      KStream<K, WindowChange<A>> changes) {
    this.table = table;
    this.grid = grid;
    this.retention = retention;
    this.merge = merge;
    this.changes = changes;
  }

  /** The serving table. */
  public ServingTable<K, A> servingTable() {
    return table;
  }

  /** The windows of the table. */
  public TimeGrid grid() {
    return grid;
  }

  /** How long the table keeps a window: at least its length. */
  public Duration retention() {
    return retention;
  }

  /** How two partial aggregates of a window add up. */
  Reducer<A> merge() {
    return merge;
  }

  /**
   * Every update of the table: each time a task's partial is added to a window, the window and its
   * new total. The processor is named {@code <table>-updates}; asking twice gives the same stream.
   */
  public KStream<Windowed<K>, A> updates() {
    if (updates == null) {
      updates =
          changes.map(
              (key, change) ->
                  KeyValue.pair(
                      new Windowed<>(
                          key,
                          new TimeWindow(change.windowStart(), grid.endOf(change.windowStart()))),
                      change.total()),
              Named.as(table.name() + "-updates"));
    }
    return updates;
  }

  /** What each partial added to the table changed, in the task that holds the table's key. */
  KStream<K, WindowChange<A>> changes() {
    return changes;
  }
}
