package dev.kappa.topology;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A serving table as a built topology materializes it: the table, and for windowed and session
 * tables how long windows are kept and, for windowed tables, how long a window is (a window that
 * starts at {@code t} ends at {@code t + windowSize}).
 *
 * @param table the declared table; its name is the store name
 * @param windowSize the size of a window of a windowed table; null for key-value and session tables
 * @param retention how long the store keeps windows; null for key-value tables
 */
public record ServedTable(
    ServingTable<?, ?> table, @Nullable Duration windowSize, @Nullable Duration retention) {

  /** Checks that the table is present. */
  public ServedTable {
    Objects.requireNonNull(table, "table");
  }

  /** The name of the table and of its store. */
  public String name() {
    return table.name();
  }
}
