package dev.kappa.api.query;

import dev.kappa.topology.ServingTable;
import java.util.Comparator;
import java.util.function.Function;

/**
 * The order of rows in range answers: by key where the table's key type has a natural order
 * (strings, numbers, instants ...), otherwise as the stores give them.
 */
final class RowOrder {

  private RowOrder() {}

  @SuppressWarnings({"unchecked", "rawtypes"}) // the keys of one table share their declared type
  static <K, R> Comparator<R> byKey(ServingTable<K, ?> table, Function<R, K> key) {
    if (!Comparable.class.isAssignableFrom(table.keys().type())) {
      return (left, right) -> 0;
    }
    return (left, right) -> ((Comparable) key.apply(left)).compareTo(key.apply(right));
  }
}
