package dev.kappa.reprocessing.query;

import dev.kappa.topology.ServingTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiPredicate;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * How two versions of a serving table compare over some of their rows: how many keys (or windows)
 * are equal, different, or present in one version only, and the first differences in key order.
 *
 * @param equal rows with the same value in both versions
 * @param different rows present in both with different values
 * @param onlyInFirst rows that only the first version has
 * @param onlyInSecond rows that only the second version has
 * @param differences the first differences, in key order and then by window start
 * @param truncated whether there are more differences than {@code differences} holds
 * @param <K> the key type
 */
public record Comparison<K>(
    long equal,
    long different,
    long onlyInFirst,
    long onlyInSecond,
    List<Difference<K>> differences,
    boolean truncated) {

  /** Copies the differences. */
  public Comparison {
    differences = List.copyOf(differences);
  }

  /** Whether the versions differ anywhere in the rows compared. */
  public boolean differs() {
    return different + onlyInFirst + onlyInSecond > 0;
  }

  /**
   * Compares {@code first} with {@code second}, matching rows by key and window start.
   *
   * @param same whether the value of a row in the first version equals the value in the second
   * @param order the order of keys in which the first {@code limit} differences are kept
   */
  public static <K> Comparison<K> of(
      Collection<TableRow<K>> first,
      Collection<TableRow<K>> second,
      BiPredicate<Object, Object> same,
      Comparator<K> order,
      int limit) {
    Map<RowId<K>, TableRow<K>> seconds = new HashMap<>();
    second.forEach(row -> seconds.put(RowId.of(row), row));
    long equal = 0;
    long different = 0;
    long onlyInFirst = 0;
    List<Difference<K>> differences = new ArrayList<>();
    for (TableRow<K> row : first) {
      TableRow<K> other = seconds.remove(RowId.of(row));
      if (other == null) {
        onlyInFirst++;
        differences.add(difference(Difference.Kind.ONLY_IN_FIRST, row, row.value(), null));
      } else if (same.test(row.value(), other.value())) {
        equal++;
      } else {
        different++;
        differences.add(difference(Difference.Kind.DIFFERENT, row, row.value(), other.value()));
      }
    }
    for (TableRow<K> row : seconds.values()) {
      differences.add(difference(Difference.Kind.ONLY_IN_SECOND, row, null, row.value()));
    }
    return first(equal, different, onlyInFirst, seconds.size(), differences, false, order, limit);
  }

  /** The sum of {@code parts}, each over other rows, with the first {@code limit} differences. */
  public static <K> Comparison<K> merge(
      Collection<Comparison<K>> parts, Comparator<K> order, int limit) {
    long equal = 0;
    long different = 0;
    long onlyInFirst = 0;
    long onlyInSecond = 0;
    boolean truncated = false;
    List<Difference<K>> differences = new ArrayList<>();
    for (Comparison<K> part : parts) {
      equal += part.equal();
      different += part.different();
      onlyInFirst += part.onlyInFirst();
      onlyInSecond += part.onlyInSecond();
      truncated |= part.truncated();
      differences.addAll(part.differences());
    }
    // Each part kept its first differences, so the first of all of them are among these.
    return first(equal, different, onlyInFirst, onlyInSecond, differences, truncated, order, limit);
  }

  /**
   * The order of a table's keys: their natural order where the key type has one (strings, numbers,
   * instants ...), else the order of their serialized bytes.
   */
  @SuppressWarnings({"unchecked", "rawtypes"}) // the keys of one table share their declared type
  public static <K> Comparator<K> keyOrder(ServingTable<K, ?> table) {
    if (Comparable.class.isAssignableFrom(table.keys().type())) {
      return (left, right) -> ((Comparable) left).compareTo(right);
    }
    return (left, right) ->
        Arrays.compareUnsigned(
            table.keys().serde().serializer().serialize(table.name(), left),
            table.keys().serde().serializer().serialize(table.name(), right));
  }

  /**
   * Whether a value of {@code first} equals a value of {@code second} (the same table in two
   * versions): whether their serialized bytes are equal, so that value types without {@code equals}
   * compare too.
   */
  public static BiPredicate<Object, Object> sameSerializedValues(
      ServingTable<?, ?> first, ServingTable<?, ?> second) {
    Serializer<Object> firstValues = values(first);
    Serializer<Object> secondValues = values(second);
    return (left, right) ->
        Arrays.equals(
            firstValues.serialize(first.name(), left),
            secondValues.serialize(second.name(), right));
  }

  @SuppressWarnings("unchecked") // the values read from the table's store are of its value type
  private static Serializer<Object> values(ServingTable<?, ?> table) {
    return (Serializer<Object>) table.values().serde().serializer();
  }

  private static <K> Comparison<K> first(
      long equal,
      long different,
      long onlyInFirst,
      long onlyInSecond,
      List<Difference<K>> differences,
      boolean truncated,
      Comparator<K> order,
      int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, was " + limit);
    }
    Comparator<Instant> byStart = Comparator.nullsFirst(Comparator.naturalOrder());
    differences.sort(
        Comparator.comparing((Difference<K> each) -> each.key(), order)
            .thenComparing(Difference::start, byStart));
    boolean more = differences.size() > limit;
    return new Comparison<>(
        equal,
        different,
        onlyInFirst,
        onlyInSecond,
        more ? differences.subList(0, limit) : differences,
        truncated || more);
  }

  private static <K> Difference<K> difference(
      Difference.Kind kind, TableRow<K> row, @Nullable Object first, @Nullable Object second) {
    return new Difference<>(kind, row.key(), row.start(), row.end(), first, second);
  }

  /** A row's identity: its key, and its window's start in a windowed table. */
  private record RowId<K>(K key, @Nullable Instant start) {
    static <K> RowId<K> of(TableRow<K> row) {
      return new RowId<>(row.key(), row.start());
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof RowId<?> id
          && Objects.deepEquals(key, id.key)
          && Objects.equals(start, id.start);
    }

    @Override
    public int hashCode() {
      return Objects.hash(
          key instanceof byte[] bytes ? Arrays.hashCode(bytes) : key.hashCode(), start);
    }
  }
}
