package dev.kappa.api.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kappa.api.query.Results.KeyResult;
import dev.kappa.api.query.Results.KeyRow;
import dev.kappa.api.query.Results.PartitionResult;
import dev.kappa.api.query.Results.WindowRow;
import dev.kappa.api.query.Results.WindowsResult;
import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.query.Answer;
import dev.kappa.reprocessing.query.KeyElsewhereException;
import dev.kappa.reprocessing.query.PartitionRows;
import dev.kappa.reprocessing.query.WindowValue;
import dev.kappa.reprocessing.registry.VersionStatus;
import dev.kappa.topology.ServingTable.Shape;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.streams.KeyValue;
import org.jspecify.annotations.Nullable;

/**
 * Answers from the stores of this instance only. The router uses it for what this instance holds;
 * other instances reach it through the internal endpoints.
 */
@Singleton
final class LocalQueries {

  private final ObjectMapper json;

  LocalQueries(ObjectMapper json) {
    this.json = json;
  }

  /**
   * @throws KeyElsewhereException if another instance holds the key
   * @throws KeyNotFoundException if the table has no such key
   */
  <K, V> KeyResult key(ResolvedTable<K, V> table, String keyText) {
    table.requireShape("get a key", Shape.KEY_VALUE);
    K key = table.key(keyText);
    Answer<Optional<V>> answer = table.view().get(key);
    V value =
        answer
            .value()
            .orElseThrow(
                () ->
                    new KeyNotFoundException(
                        "Table '"
                            + table.table().name()
                            + "' of "
                            + answer.version()
                            + " has no key '"
                            + keyText
                            + "'"
                            + replayingNote(table),
                        answer.version(),
                        table.host().instance()));
    return new KeyResult(
        table.version().job(),
        table.table().name(),
        answer.version().number(),
        table.host().instance(),
        key,
        value);
  }

  /** Why a version that is still replaying may lack a key it will have, or nothing. */
  private static String replayingNote(ResolvedTable<?, ?> table) {
    JobVersion version = table.version();
    boolean replaying =
        table
            .host()
            .history(version.job())
            .version(version.number())
            .filter(state -> state.status() == VersionStatus.REPLAYING)
            .isPresent();
    return replaying ? " yet: " + version + " is still replaying and may not have reached it" : "";
  }

  /**
   * @throws KeyElsewhereException if another instance holds the key
   */
  <K, V> WindowsResult windows(
      ResolvedTable<K, V> table, String keyText, Instant from, Instant to) {
    table.requireShape("read the windows of a key", Shape.WINDOWED, Shape.SESSION);
    K key = table.key(keyText);
    Answer<List<WindowValue<V>>> answer = table.view().windows(key, from, to);
    return new WindowsResult(
        table.version().job(),
        table.table().name(),
        answer.version().number(),
        table.host().instance(),
        key,
        from,
        to,
        answer.value());
  }

  /**
   * The keys from {@code from} to {@code to} that this instance holds: the first {@code limit} in
   * key order, so that only those are converted and sent.
   */
  <K, V> PartitionResult range(
      ResolvedTable<K, V> table, @Nullable String from, @Nullable String to, int limit) {
    table.requireShape("read a range of keys", Shape.KEY_VALUE);
    @Nullable K low = from == null ? null : table.key(from);
    @Nullable K high = to == null ? null : table.key(to);
    return partitionResult(
        table,
        table.view().rangeByPartition(low, high),
        RowOrder.byKey(table.table(), row -> row.key),
        limit,
        row -> new KeyRow(row.key, row.value));
  }

  /** The windows of all keys that this instance holds, the first {@code limit} in key order. */
  <K, V> PartitionResult windowRange(
      ResolvedTable<K, V> table, Instant from, Instant to, int limit) {
    table.requireShape("read the windows of all keys", Shape.WINDOWED);
    Comparator<KeyValue<K, WindowValue<V>>> byKey = RowOrder.byKey(table.table(), row -> row.key);
    return partitionResult(
        table,
        table.view().windowRangeByPartition(from, to),
        byKey.thenComparing(row -> row.value.start()),
        limit,
        row -> new WindowRow(row.key, row.value.start(), row.value.end(), row.value.value()));
  }

  private <R> PartitionResult partitionResult(
      ResolvedTable<?, ?> table,
      Answer<PartitionRows<R>> answer,
      Comparator<R> order,
      int limit,
      Function<R, Object> row) {
    List<R> rows = new ArrayList<>(answer.value().rows());
    rows.sort(order);
    boolean truncated = rows.size() > limit;
    List<JsonNode> kept =
        rows.subList(0, Math.min(limit, rows.size())).stream()
            .map(each -> (JsonNode) json.valueToTree(row.apply(each)))
            .toList();
    return new PartitionResult(
        table.version().job(),
        table.table().name(),
        answer.version().number(),
        table.host().instance(),
        answer.value().partitions(),
        truncated,
        kept);
  }
}
