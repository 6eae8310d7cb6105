package dev.kappa.api.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kappa.reprocessing.query.WindowValue;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import org.jspecify.annotations.Nullable;

/** The JSON bodies of query answers. Each names the version and the instance that answered. */
final class Results {

  private Results() {}

  /** The value of one key. */
  record KeyResult(
      String job, String table, int version, String instance, Object key, Object value) {}

  /** The windows of one key that start between two instants. */
  record WindowsResult(
      String job,
      String table,
      int version,
      String instance,
      Object key,
      Instant from,
      Instant to,
      List<? extends WindowValue<?>> windows) {}

  /** Rows of a range, merged from every instance that holds a part of the table. */
  record RangeResult(
      String job,
      String table,
      int version,
      List<String> instances,
      int count,
      boolean truncated,
      List<JsonNode> rows) {}

  /**
   * Rows one instance holds, with its partitions: what instances send each other for ranges. The
   * rows are the first of the instance's in key order; {@code truncated} if it holds more.
   */
  record PartitionResult(
      String job,
      String table,
      int version,
      String instance,
      SortedSet<Integer> partitions,
      boolean truncated,
      List<JsonNode> rows) {}

  /** A row of a key range. */
  record KeyRow(Object key, Object value) {}

  /** A row of a window range. */
  record WindowRow(Object key, Instant start, Instant end, Object value) {}

  /** Two versions of a job compared, table by table. */
  record ComparisonResult(
      String job,
      List<Integer> versions,
      Instant from,
      Instant to,
      List<String> instances,
      List<TableComparison> tables) {}

  /**
   * One table of two versions compared: counts of rows equal, different and present in one version
   * only, and the first differences in key order. {@code complete} is false for a table that was
   * not compared as a whole (a session table), as {@code note} says.
   */
  record TableComparison(
      String table,
      String shape,
      long equal,
      long different,
      long onlyInFirst,
      long onlyInSecond,
      boolean complete,
      boolean truncated,
      @Nullable String note,
      List<DifferenceRow> differences) {}

  /** A key, or a key's window, where two versions differ; first or second null where absent. */
  record DifferenceRow(
      String kind,
      JsonNode key,
      @Nullable Instant start,
      @Nullable Instant end,
      @Nullable JsonNode first,
      @Nullable JsonNode second) {}

  /**
   * One instance's comparison of a table: what instances send each other. The partitions it holds
   * in both versions are compared; the rows of those it holds in one version only are sent.
   */
  record ComparisonPart(
      String instance,
      SortedSet<Integer> compared,
      long equal,
      long different,
      long onlyInFirst,
      long onlyInSecond,
      boolean truncated,
      List<DifferenceRow> differences,
      Map<Integer, List<RowJson>> firstRows,
      Map<Integer, List<RowJson>> secondRows) {}

  /** A row of a table, as instances send it to each other. */
  record RowJson(JsonNode key, @Nullable Instant start, @Nullable Instant end, JsonNode value) {}
}
