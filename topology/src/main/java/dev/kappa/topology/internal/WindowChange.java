package dev.kappa.topology.internal;

import java.util.Objects;

/**
 * What adding a partial changed in a table: the partial of the window that starts at {@code
 * windowStart}, and the window's total with it. Rollups take the partial; the table's updates, the
 * total.
 *
 * @param windowStart the start of the window, in epoch milliseconds
 * @param partial what was added
 * @param total the window's total afterwards
 * @param <A> the aggregate
 */
public record WindowChange<A>(long windowStart, A partial, A total) {

  /** Checks that the aggregates are present. */
  public WindowChange {
    Objects.requireNonNull(partial, "partial");
    Objects.requireNonNull(total, "total");
  }

  /** The partial, as the next rollup adds it. */
  public WindowPartial<A> asPartial() {
    return new WindowPartial<>(windowStart, partial);
  }
}
