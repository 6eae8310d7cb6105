package dev.kappa.reprocessing.query;

import dev.kappa.reprocessing.JobVersion;
import dev.kappa.topology.JobTopology;
import dev.kappa.topology.ServedTable;
import dev.kappa.topology.ServingTable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.query.WindowRangeQuery;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.jspecify.annotations.Nullable;

/**
 * The store of a serving table in one version that runs here: the queries it answers over the
 * partitions this instance holds, with their failures turned into the library's errors.
 *
 * @param version the version whose store this is
 * @param topology its topology
 * @param served the table
 * @param streams the version's Kafka Streams instance on this instance
 */
record StoreTarget(
    JobVersion version, JobTopology topology, ServedTable served, KafkaStreams streams) {

  private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  /**
   * The rows of {@code range} in each partition of this key-value or windowed table that this
   * instance holds.
   *
   * @throws IllegalArgumentException if there are more than {@code maxRows}
   */
  <K> Map<Integer, List<TableRow<K>>> rows(RowRange<K> range, int maxRows) {
    Map<Integer, List<TableRow<K>>> rows = new TreeMap<>();
    int[] read = {0};
    if (served.table().shape() == ServingTable.Shape.KEY_VALUE) {
      @Nullable K from = range.fromKey();
      @Nullable K to = range.toKey();
      RangeQuery<K, Object> query =
          from == null && to == null
              ? RangeQuery.withNoBounds()
              : from == null
                  ? RangeQuery.withUpperBound(to)
                  : to == null ? RangeQuery.withLowerBound(from) : RangeQuery.withRange(from, to);
      query(query, Optional.empty())
          .forEach(
              (partition, result) -> {
                List<TableRow<K>> partitionRows = new ArrayList<>();
                try (KeyValueIterator<K, Object> iterator = result.getResult()) {
                  iterator.forEachRemaining(
                      pair -> {
                        counted(read, maxRows);
                        partitionRows.add(new TableRow<>(pair.key, null, null, stored(pair.value)));
                      });
                }
                rows.put(partition, partitionRows);
              });
      return rows;
    }
    query(
            WindowRangeQuery.<K, Object>withWindowStartRange(range.from(), range.to()),
            Optional.empty())
        .forEach(
            (partition, result) -> {
              List<TableRow<K>> partitionRows = new ArrayList<>();
              try (KeyValueIterator<Windowed<K>, Object> iterator = result.getResult()) {
                iterator.forEachRemaining(
                    window -> {
                      counted(read, maxRows);
                      Instant start = window.key.window().startTime();
                      partitionRows.add(
                          new TableRow<>(
                              window.key.key(),
                              start,
                              served.windowEnd(start),
                              stored(window.value)));
                    });
              }
              rows.put(partition, partitionRows);
            });
    return rows;
  }

  private void counted(int[] read, int maxRows) {
    if (++read[0] > maxRows) {
      throw new IllegalArgumentException(
          "Table '"
              + served.name()
              + "' of "
              + version
              + " has more than "
              + maxRows
              + " rows in the range asked for on this instance; ask for a narrower range");
    }
  }

  <R> Map<Integer, QueryResult<R>> query(Query<R> query, Optional<Integer> partition) {
    StateQueryRequest<R> request =
        StateQueryRequest.inStore(served.name()).withQuery(query).requireActive();
    if (partition.isPresent()) {
      request = request.withPartitions(Set.of(partition.get()));
    }
    StateQueryResult<R> result = streams.query(request);
    Map<Integer, QueryResult<R>> partitions = result.getPartitionResults();
    if (partition.isPresent() && !partitions.containsKey(partition.get())) {
      throw notReady("partition " + partition.get() + " is not active here");
    }
    for (Map.Entry<Integer, QueryResult<R>> entry : partitions.entrySet()) {
      QueryResult<R> answer = entry.getValue();
      if (answer.isFailure()) {
        throw failure(entry.getKey(), answer);
      }
    }
    return partitions;
  }

  private RuntimeException failure(int partition, QueryResult<?> answer) {
    FailureReason reason = answer.getFailureReason();
    String why = "partition " + partition + ": " + reason + ", " + answer.getFailureMessage();
    return switch (reason) {
      case NOT_ACTIVE, NOT_PRESENT, NOT_UP_TO_BOUND -> notReady(why);
      case DOES_NOT_EXIST, UNKNOWN_QUERY_TYPE ->
          new UnknownTableException(
              "Table '" + served.name() + "' of " + version + " cannot answer: " + why);
      default ->
          new IllegalStateException(
              "Table '" + served.name() + "' of " + version + " failed: " + why);
    };
  }

  StoreNotReadyException notReady(@Nullable String why) {
    return notReady(served.name(), version, why);
  }

  /** The table {@code store} of {@code version} cannot answer yet, for the reason {@code why}. */
  static StoreNotReadyException notReady(String store, JobVersion version, @Nullable String why) {
    return new StoreNotReadyException(
        "Table '" + store + "' of " + version + " is not ready: " + why, RETRY_AFTER);
  }

  /** A value as a store gave it, without the timestamp that a timestamped store adds. */
  static Object stored(Object stored) {
    return stored instanceof ValueAndTimestamp<?> timestamped ? timestamped.value() : stored;
  }
}
