package dev.kappa.reprocessing.query;

import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Rows read from the partitions of a table that one instance holds, with those partitions, so that
 * the answers of several instances can be merged and checked for completeness.
 *
 * @param partitions the partitions that answered
 * @param rows the rows, partition by partition
 * @param <T> the row type
 */
public record PartitionRows<T>(SortedSet<Integer> partitions, List<T> rows) {

  /** Copies the parts. */
  public PartitionRows {
    partitions = Collections.unmodifiableSortedSet(new TreeSet<>(partitions));
    rows = List.copyOf(rows);
  }
}
