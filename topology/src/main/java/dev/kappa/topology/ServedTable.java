package dev.kappa.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A serving table as a built topology materializes it: the table, and for windowed and session
 * tables how long windows are kept and, for windowed tables, how long a window is ({@link
 * #windowEnd}).
 *
 * @param table the declared table; its name is the store name
 * @param windowSize the size of a window of a windowed table; null for key-value and session tables
 * @param retention how long the store keeps windows; null for key-value tables
 * @param grid the windows of a table aggregated in two phases or rolled up, whose windows may vary
 *     in length (calendar months); null for other tables
 */
public record ServedTable(
    ServingTable<?, ?> table,
    @Nullable Duration windowSize,
    @Nullable Duration retention,
    @Nullable TimeGrid grid) {

  /** Checks that the table is present. */
  public ServedTable {
    Objects.requireNonNull(table, "table");
  }

  /** A table whose windows, if any, all last {@code windowSize}. */
  public ServedTable(
      ServingTable<?, ?> table, @Nullable Duration windowSize, @Nullable Duration retention) {
    this(table, windowSize, retention, null);
  }

  /**
   * The end of the window of a windowed table that starts at {@code start}.
   *
   * @throws IllegalStateException if the table is not a windowed table
   */
  public Instant windowEnd(Instant start) {
    if (grid != null) {
      return grid.endOf(start);
    }
    if (windowSize == null) {
      throw new IllegalStateException("Table '" + name() + "' has no windows of a fixed size");
    }
    return start.plus(windowSize);
  }

  /** The name of the table and of its store. */
  public String name() {
    return table.name();
  }
}
