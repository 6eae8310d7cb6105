package dev.kappa.reprocessing.query;

import dev.kappa.reprocessing.JobVersion;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Two versions of a serving table compared on one instance. The partitions that this instance holds
 * in both versions are compared here; the rows of a partition held here in one version only are
 * returned, to be compared with the other version's rows from the instance that holds them (the two
 * versions are separate Kafka Streams applications, so their partitions may sit on different
 * instances).
 *
 * @param first the first version
 * @param second the second version
 * @param compared the partitions compared here
 * @param comparison their comparison
 * @param firstRows the rows of each partition held here in the first version only
 * @param secondRows the rows of each partition held here in the second version only
 * @param <K> the key type
 */
public record LocalComparison<K>(
    JobVersion first,
    JobVersion second,
    SortedSet<Integer> compared,
    Comparison<K> comparison,
    SortedMap<Integer, List<TableRow<K>>> firstRows,
    SortedMap<Integer, List<TableRow<K>>> secondRows) {

  /** Copies the parts. */
  public LocalComparison {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(second, "second");
    Objects.requireNonNull(comparison, "comparison");
    compared = Collections.unmodifiableSortedSet(new TreeSet<>(compared));
    firstRows = Collections.unmodifiableSortedMap(new TreeMap<>(firstRows));
    secondRows = Collections.unmodifiableSortedMap(new TreeMap<>(secondRows));
  }
}
