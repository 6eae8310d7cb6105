package dev.kappa.reprocessing.query;

import dev.kappa.reprocessing.JobVersion;
import dev.kappa.topology.ServedTable;
import dev.kappa.topology.ServingTable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.WindowKeyQuery;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlySessionStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.jspecify.annotations.Nullable;

/**
 * Queries over serving tables by logical name, answered from the stores of the active version of a
 * job (or of a version asked for by number), on this instance. Each answer says which version gave
 * it.
 *
 * <pre>{@code
 * TableQueries queries = host.queries();
 * Answer<List<WindowValue<Usage>>> windows =
 *     queries.table("network-usage", USAGE_BY_NODE).windows("n-0001", from, to);
 * Answer<Optional<Usage>> v1 = queries.table("network-usage", TOTALS).inVersion(1).get("c-7");
 * // Before a swap: v1 against v2, over the keys of the partitions this instance holds in both.
 * LocalComparison<String> diff = queries.table("network-usage", TOTALS).inVersion(1)
 *     .compareWith(2, new RowRange<>(null, null, from, to), 20, 100_000);
 * }</pre>
 *
 * <p>A key whose partition another instance holds is not answered here: {@link
 * KeyElsewhereException} gives its {@link KeyLocation}, and a router (the serving layer) forwards
 * the query there. A store that is restoring or migrating throws {@link StoreNotReadyException},
 * never an empty answer. Thread-safe.
 */
public final class TableQueries {

  private static final Duration RETRY_AFTER = Duration.ofSeconds(1);
  private static final Comparator<HostInfo> HOST_ORDER =
      Comparator.comparing(HostInfo::host).thenComparingInt(HostInfo::port);

  private final ServingVersions versions;
  private final TableLookup lookup;
  private final Map<String, StoreInputs> storeInputs = new ConcurrentHashMap<>();

  /** Queries over the versions that {@code versions} knows. */
  public TableQueries(ServingVersions versions) {
    this.versions = Objects.requireNonNull(versions, "versions");
    this.lookup = new TableLookup(versions);
  }

  /**
   * The serving table {@code table} of {@code job}, read from the job's active version at each
   * query (so a swap takes effect on the next query).
   */
  public <K, V> TableView<K, V> table(String job, ServingTable<K, V> table) {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(table, "table");
    return new TableView<>(job, table, OptionalInt.empty());
  }

  /**
   * The serving table called {@code name} of {@code job}, looked up by name: in version {@code
   * number}, or in the version that is active now if {@code number} is empty. The view stays on
   * that version, so that every query through it is answered by the same version, even across a
   * swap.
   *
   * @throws UnknownJobException if this instance does not host {@code job}
   * @throws UnknownVersionException if the registry does not list the version, this instance has
   *     not its code, or the job has no active version
   * @throws UnknownTableException if the version has no serving table called {@code name}
   */
  public TableView<?, ?> table(String job, String name, OptionalInt number) {
    Objects.requireNonNull(name, "name");
    TableLookup.Resolved resolved = lookup.resolve(job, name, number);
    return view(job, resolved.served().table(), resolved.version().number());
  }

  private <K, V> TableView<K, V> view(String job, ServingTable<K, V> table, int number) {
    return new TableView<>(job, table, OptionalInt.of(number));
  }

  /** One serving table of one job, in the active version or in a version asked for. */
  public final class TableView<K, V> {
    private final String job;
    private final ServingTable<K, V> table;
    private final OptionalInt version;

    private TableView(String job, ServingTable<K, V> table, OptionalInt version) {
      this.job = job;
      this.table = table;
      this.version = version;
    }

    /** The job whose table this is. */
    public String job() {
      return job;
    }

    /** The table, as its job defines it. */
    public ServingTable<K, V> servingTable() {
      return table;
    }

    /** The version this view reads, or empty if it reads the active version at each query. */
    public OptionalInt version() {
      return version;
    }

    /** The same table in version {@code number}, whether or not it is active. */
    public TableView<K, V> inVersion(int number) {
      JobVersion.of(job, number);
      return new TableView<>(job, table, OptionalInt.of(number));
    }

    /**
     * Where {@code key} lives.
     *
     * @throws UnknownTableException if the job, table or version is unknown here
     * @throws StoreNotReadyException if the version is not running or is rebalancing
     */
    public KeyLocation locate(K key) {
      return locate(target(), key);
    }

    /**
     * The value of {@code key} in a key-value table; empty if the table has no such key.
     *
     * @throws KeyElsewhereException if another instance holds the key
     * @throws StoreNotReadyException if the store cannot answer yet
     * @throws UnknownTableException if the job, table or version is unknown here, or the table is
     *     not a key-value table
     */
    public Answer<Optional<V>> get(K key) {
      Objects.requireNonNull(key, "key");
      StoreTarget target = target(ServingTable.Shape.KEY_VALUE, "get a key");
      KeyLocation location = requireLocal(target, key);
      Optional<V> value =
          target.query(KeyQuery.<K, V>withKey(key), partitions(location)).values().stream()
              .map(QueryResult::getResult)
              .filter(Objects::nonNull)
              .findFirst();
      return new Answer<>(target.version(), value);
    }

    /**
     * The keys of a key-value table from {@code from} to {@code to} (inclusive; null for open), in
     * the partitions this instance holds. A router asks every instance and merges the answers.
     *
     * @throws StoreNotReadyException if the store cannot answer yet
     * @throws UnknownTableException as for {@link #get}
     */
    public Answer<List<KeyValue<K, V>>> range(@Nullable K from, @Nullable K to) {
      Answer<PartitionRows<KeyValue<K, V>>> answer = rangeByPartition(from, to);
      return new Answer<>(answer.version(), answer.value().rows());
    }

    /**
     * As {@link #range}, with the partitions that answered, so that a router that merges the
     * answers of every instance can tell a complete answer from one with a partition in flight.
     */
    public Answer<PartitionRows<KeyValue<K, V>>> rangeByPartition(
        @Nullable K from, @Nullable K to) {
      StoreTarget target = target(ServingTable.Shape.KEY_VALUE, "read a range of keys");
      return answer(
          target,
          new RowRange<>(from, to, Instant.EPOCH, Instant.EPOCH),
          row -> KeyValue.pair(row.key(), value(row.value())));
    }

    /**
     * The windows of every key of a windowed table that start between {@code from} and {@code to}
     * (inclusive), in the partitions this instance holds, with the partitions that answered.
     *
     * @throws IllegalArgumentException if {@code from} is after {@code to}
     * @throws StoreNotReadyException if the store cannot answer yet
     * @throws UnknownTableException as for {@link #get}, or if the table is not a windowed table
     */
    public Answer<PartitionRows<KeyValue<K, WindowValue<V>>>> windowRangeByPartition(
        Instant from, Instant to) {
      checkTimeRange(from, to);
      StoreTarget target = target(ServingTable.Shape.WINDOWED, "read windows of all keys");
      return answer(
          target,
          new RowRange<>(null, null, from, to),
          row ->
              KeyValue.pair(
                  row.key(), new WindowValue<>(row.start(), row.end(), value(row.value()))));
    }

    /** Every row of {@code range} that this instance holds, as {@code row} makes it. */
    private <R> Answer<PartitionRows<R>> answer(
        StoreTarget target, RowRange<K> range, Function<TableRow<K>, R> row) {
      Map<Integer, List<TableRow<K>>> rows = target.rows(range, Integer.MAX_VALUE);
      return new Answer<>(
          target.version(),
          new PartitionRows<>(
              new TreeSet<>(rows.keySet()),
              rows.values().stream().flatMap(List::stream).map(row).toList()));
    }

    /**
     * Compares this table in this view's version (the first) with the same table in version {@code
     * other} (the second), over {@code range}, on this instance: the partitions it holds in both
     * versions are compared here, and the rows of those it holds in one version only are returned
     * for a router to pair with the other instances' rows. Values are equal when their serialized
     * bytes are.
     *
     * @param limit the most differences to keep, the first in key order
     * @param maxRows the most rows to read of either version
     * @throws IllegalArgumentException if either version has more than {@code maxRows} rows in
     *     {@code range} here
     * @throws StoreNotReadyException if either store cannot answer yet
     * @throws UnknownTableException if either version is unknown here, the table is a session table
     *     (compare the windows of a key instead), or its shape or key type differs between the
     *     versions
     */
    public LocalComparison<K> compareWith(int other, RowRange<K> range, int limit, int maxRows) {
      Objects.requireNonNull(range, "range");
      StoreTarget first = target();
      StoreTarget second = target(OptionalInt.of(other));
      ServingTable<?, ?> otherTable = second.served().table();
      if (table.shape() == ServingTable.Shape.SESSION) {
        throw wrongShape(first, "compare all rows");
      }
      if (otherTable.shape() != table.shape()
          || !otherTable.keys().type().equals(table.keys().type())) {
        throw new UnknownTableException(
            "Cannot compare table '"
                + table.name()
                + "' of "
                + first.version()
                + " with "
                + second.version()
                + ": it is a "
                + table.shape()
                + " table of "
                + table.keys().type().getSimpleName()
                + " keys in one and a "
                + otherTable.shape()
                + " table of "
                + otherTable.keys().type().getSimpleName()
                + " keys in the other");
      }
      Map<Integer, List<TableRow<K>>> firstRows = first.rows(range, maxRows);
      Map<Integer, List<TableRow<K>>> secondRows = second.rows(range, maxRows);
      SortedSet<Integer> compared = new TreeSet<>(firstRows.keySet());
      compared.retainAll(secondRows.keySet());
      List<TableRow<K>> firstCompared = new ArrayList<>();
      List<TableRow<K>> secondCompared = new ArrayList<>();
      for (int partition : compared) {
        firstCompared.addAll(firstRows.remove(partition));
        secondCompared.addAll(secondRows.remove(partition));
      }
      Comparison<K> comparison =
          Comparison.of(
              firstCompared,
              secondCompared,
              Comparison.sameSerializedValues(table, otherTable),
              Comparison.keyOrder(table),
              limit);
      return new LocalComparison<>(
          first.version(),
          second.version(),
          compared,
          comparison,
          new TreeMap<>(firstRows),
          new TreeMap<>(secondRows));
    }

    /** Where this table's store sits in its version's topology, read once per version. */
    private StoreInputs storeInputs(StoreTarget target) {
      return storeInputs.computeIfAbsent(
          target.version().applicationId() + "/" + table.name(),
          key -> StoreInputs.of(target.version(), target.topology(), table.name()));
    }

    /**
     * The instances that hold the active stores of this table, with the partitions each holds, as
     * the version's Kafka Streams metadata says; empty without {@code application.server}.
     *
     * @throws StoreNotReadyException if the version is not running here or is rebalancing
     * @throws UnknownTableException as for {@link #get}
     */
    public Map<HostInfo, Set<Integer>> hosts() {
      StoreTarget target = target();
      if (versions.localHost().isEmpty()) {
        return Map.of();
      }
      Set<String> inputs = storeInputs(target).topics();
      Map<HostInfo, Set<Integer>> hosts = new TreeMap<>(HOST_ORDER);
      for (StreamsMetadata metadata : target.streams().streamsMetadataForStore(table.name())) {
        Set<Integer> partitions = new TreeSet<>();
        for (TopicPartition partition : metadata.topicPartitions()) {
          if (inputs.contains(partition.topic())) {
            partitions.add(partition.partition());
          }
        }
        if (!partitions.isEmpty()) {
          hosts.put(metadata.hostInfo(), partitions);
        }
      }
      return hosts;
    }

    /**
     * The windows of {@code key} in a windowed or session table that start (for sessions: end or
     * start) between {@code from} and {@code to}, inclusive, oldest first.
     *
     * @throws IllegalArgumentException if {@code from} is after {@code to}
     * @throws KeyElsewhereException if another instance holds the key
     * @throws StoreNotReadyException if the store cannot answer yet
     * @throws UnknownTableException as for {@link #get}
     */
    public Answer<List<WindowValue<V>>> windows(K key, Instant from, Instant to) {
      Objects.requireNonNull(key, "key");
      checkTimeRange(from, to);
      StoreTarget target = target();
      if (target.served().table().shape() == ServingTable.Shape.KEY_VALUE) {
        throw wrongShape(target, "read windows");
      }
      KeyLocation location = requireLocal(target, key);
      List<WindowValue<V>> windows = new ArrayList<>();
      if (target.served().table().shape() == ServingTable.Shape.SESSION) {
        sessions(target, location, key, from, to, windows);
        return new Answer<>(target.version(), windows);
      }
      // On a timestamped window store (which every windowed aggregation has), Kafka Streams 4.3
      // answers a WindowKeyQuery with ValueAndTimestamp<V>, not the V of its signature.
      for (QueryResult<WindowStoreIterator<Object>> result :
          target
              .query(
                  WindowKeyQuery.<K, Object>withKeyAndWindowStartRange(key, from, to),
                  partitions(location))
              .values()) {
        try (WindowStoreIterator<Object> iterator = result.getResult()) {
          iterator.forEachRemaining(
              window -> {
                Instant start = Instant.ofEpochMilli(window.key);
                windows.add(
                    new WindowValue<>(
                        start, target.served().windowEnd(start), value(window.value)));
              });
        }
      }
      return new Answer<>(target.version(), windows);
    }

    @SuppressWarnings("unchecked") // the table's value type, as the store was built with it
    private V value(Object stored) {
      return (V) StoreTarget.stored(stored);
    }

    private void sessions(
        StoreTarget target,
        KeyLocation location,
        K key,
        Instant from,
        Instant to,
        List<WindowValue<V>> windows) {
      // Session stores have no Interactive Queries v2 query yet; the bounded fetch keeps the
      // caching store from walking every segment since the epoch.
      StoreQueryParameters<ReadOnlySessionStore<K, V>> parameters =
          StoreQueryParameters.fromNameAndType(
              table.name(), QueryableStoreTypes.<K, V>sessionStore());
      if (location.partition() >= 0) {
        parameters = parameters.withPartition(location.partition());
      }
      try (KeyValueIterator<Windowed<K>, V> sessions =
          target
              .streams()
              .store(parameters)
              .findSessions(key, from.toEpochMilli(), to.toEpochMilli())) {
        sessions.forEachRemaining(
            session ->
                windows.add(
                    new WindowValue<>(
                        session.key.window().startTime(),
                        session.key.window().endTime(),
                        session.value)));
      } catch (InvalidStateStoreException e) {
        throw notReady(target.version(), e.getMessage());
      }
    }

    private StoreTarget target(ServingTable.Shape shape, String what) {
      StoreTarget target = target();
      if (target.served().table().shape() != shape) {
        throw wrongShape(target, what);
      }
      return target;
    }

    private UnknownTableException wrongShape(StoreTarget target, String what) {
      return new UnknownTableException(
          "Cannot "
              + what
              + " of table '"
              + table.name()
              + "' of job '"
              + job
              + "': it is a "
              + target.served().table().shape()
              + " table");
    }

    private StoreTarget target() {
      return target(version);
    }

    private StoreTarget target(OptionalInt number) {
      TableLookup.Resolved resolved = lookup.resolve(job, table.name(), number);
      JobVersion jobVersion = resolved.version();
      KafkaStreams streams =
          versions
              .streams(jobVersion)
              .orElseThrow(
                  () ->
                      new StoreNotReadyException(
                          jobVersion + " does not run on this instance now", RETRY_AFTER));
      if (streams.state() != KafkaStreams.State.RUNNING
          && streams.state() != KafkaStreams.State.REBALANCING) {
        throw notReady(jobVersion, "it is " + streams.state());
      }
      return new StoreTarget(jobVersion, resolved.topology(), resolved.served(), streams);
    }

    private KeyLocation locate(StoreTarget target, K key) {
      if (versions.localHost().isEmpty()) {
        // Without an application.server, Kafka Streams publishes no metadata: an instance that
        // advertises no address cannot be routed to, so it answers from the partitions it holds.
        return new KeyLocation(target.version(), -1, Optional.empty(), Set.of(), true);
      }
      KeyQueryMetadata metadata =
          target
              .streams()
              .queryMetadataForKey(table.name(), key, table.keys().serde().serializer());
      if (metadata == null || metadata == KeyQueryMetadata.NOT_AVAILABLE) {
        throw notReady(target.version(), "its partitions are being assigned");
      }
      Optional<HostInfo> active =
          metadata.activeHost().equals(HostInfo.unavailable())
              ? Optional.empty()
              : Optional.of(metadata.activeHost());
      boolean local = active.isEmpty() || active.equals(versions.localHost());
      return new KeyLocation(
          target.version(), metadata.partition(), active, metadata.standbyHosts(), local);
    }

    private KeyLocation requireLocal(StoreTarget target, K key) {
      KeyLocation location = locate(target, key);
      if (!location.local()) {
        throw new KeyElsewhereException(
            "Key '"
                + key
                + "' of table '"
                + table.name()
                + "' ("
                + target.version()
                + ") lives on "
                + location.activeHost().map(HostInfo::toString).orElse("another instance"),
            location);
      }
      return location;
    }

    private Optional<Integer> partitions(KeyLocation location) {
      return location.partition() >= 0 ? Optional.of(location.partition()) : Optional.empty();
    }

    private StoreNotReadyException notReady(JobVersion jobVersion, @Nullable String why) {
      return StoreTarget.notReady(table.name(), jobVersion, why);
    }
  }

  private static void checkTimeRange(Instant from, Instant to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (from.isAfter(to)) {
      throw new IllegalArgumentException(
          "Invalid time range: from " + from + " is after to " + to + "; swap them");
    }
  }

  /**
   * The serving tables of {@code job} in version {@code number}, or in the version that is active
   * now if {@code number} is empty.
   *
   * @throws UnknownJobException if this instance does not host {@code job}
   * @throws UnknownVersionException as for {@link #table(String, String, OptionalInt)}
   */
  public List<ServingTable<?, ?>> tables(String job, OptionalInt number) {
    return lookup.version(job, number).topology().servedTables().stream()
        .<ServingTable<?, ?>>map(ServedTable::table)
        .toList();
  }
}
