package dev.kappa.api.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kappa.reprocessing.query.WindowValue;
import java.time.Instant;
import java.util.List;
import java.util.SortedSet;

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
}
