package dev.kappa.api.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kappa.api.host.ServingHost;
import dev.kappa.api.peer.PeerClient;
import dev.kappa.api.peer.PeerClient.PeerAnswer;
import dev.kappa.api.query.Results.ComparisonPart;
import dev.kappa.api.query.Results.ComparisonResult;
import dev.kappa.api.query.Results.DifferenceRow;
import dev.kappa.api.query.Results.RowJson;
import dev.kappa.api.query.Results.TableComparison;
import dev.kappa.reprocessing.JobHost;
import dev.kappa.reprocessing.query.Comparison;
import dev.kappa.reprocessing.query.Difference;
import dev.kappa.reprocessing.query.LocalComparison;
import dev.kappa.reprocessing.query.RowRange;
import dev.kappa.reprocessing.query.StoreNotReadyException;
import dev.kappa.reprocessing.query.TableQueries.TableView;
import dev.kappa.reprocessing.query.TableRow;
import dev.kappa.topology.KappaException;
import dev.kappa.topology.ServingTable;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.BiPredicate;
import org.apache.kafka.streams.state.HostInfo;
import org.jspecify.annotations.Nullable;

/**
 * Compares two versions of a job, table by table: each instance that holds a part of a table, in
 * either version, compares the partitions it holds in both, and sends the rows of the partitions it
 * holds in one version only; this instance pairs those rows and merges the answers.
 */
@Singleton
final class VersionComparer {

  /** The differences an answer shows per table unless asked for another number. */
  static final int DEFAULT_LIMIT = 20;

  /**
   * The most rows of one version that one instance reads for a comparison: a bound on the memory
   * and time of a comparison over a range too wide. The answer is a 400 that asks for a narrower
   * range.
   */
  static final int MAX_ROWS = 200_000;

  private static final Comparator<HostInfo> HOST_ORDER =
      Comparator.comparing(HostInfo::host).thenComparingInt(HostInfo::port);

  private final ServingHost serving;
  private final QueryRouter router;
  private final PeerClient peers;
  private final ObjectMapper json;
  private final ExecutorService peerCalls;

  VersionComparer(
      ServingHost serving,
      QueryRouter router,
      PeerClient peers,
      ObjectMapper json,
      @Named(TaskExecutors.BLOCKING) ExecutorService peerCalls) {
    this.serving = serving;
    this.router = router;
    this.peers = peers;
    this.json = json;
    this.peerCalls = peerCalls;
  }

  /** What to compare: two versions, over a time range and optionally a key range. */
  record Request(
      String job,
      int first,
      int second,
      Instant from,
      Instant to,
      @Nullable String keyFrom,
      @Nullable String keyTo,
      int limit) {

    Request {
      if (first == second) {
        throw new BadQueryException(
            "Cannot compare version " + first + " with itself: send two versions, versions=1,2");
      }
    }

    Map<String, String> query() {
      Map<String, String> query = new LinkedHashMap<>();
      query.put("first", Integer.toString(first));
      query.put("second", Integer.toString(second));
      query.put("from", from.toString());
      query.put("to", to.toString());
      if (keyFrom != null) {
        query.put("keyFrom", keyFrom);
      }
      if (keyTo != null) {
        query.put("keyTo", keyTo);
      }
      query.put("limit", Integer.toString(limit));
      return query;
    }
  }

  /** {@code table} of two versions compared, or every table of the first version if null. */
  ComparisonResult compare(Request request, @Nullable String table) {
    JobHost host = serving.require();
    List<String> tables;
    if (table != null) {
      tables = List.of(table);
    } else {
      if (request.keyFrom() != null || request.keyTo() != null) {
        throw new BadQueryException(
            "keyFrom and keyTo bound the keys of one table: send table=... with them");
      }
      tables =
          host.queries().tables(request.job(), OptionalInt.of(request.first())).stream()
              .map(ServingTable::name)
              .toList();
    }
    Set<String> instances = new TreeSet<>();
    List<TableComparison> compared = new ArrayList<>();
    for (String name : tables) {
      compared.add(
          router.retrying(
              () ->
                  compareTable(
                      host,
                      ResolvedTable.of(serving, request.job(), name, request.first()),
                      request,
                      instances)));
    }
    return new ComparisonResult(
        request.job(),
        List.of(request.first(), request.second()),
        request.from(),
        request.to(),
        List.copyOf(instances),
        compared);
  }

  /** This instance's part of the comparison of {@code table}: what other instances ask for. */
  ComparisonPart localPart(String table, Request request) {
    return localPart(ResolvedTable.of(serving, request.job(), table, request.first()), request);
  }

  private <K> ComparisonPart localPart(ResolvedTable<K, ?> table, Request request) {
    RowRange<K> range =
        new RowRange<>(
            request.keyFrom() == null ? null : table.key(request.keyFrom()),
            request.keyTo() == null ? null : table.key(request.keyTo()),
            request.from(),
            request.to());
    LocalComparison<K> local =
        table.view().compareWith(request.second(), range, request.limit(), MAX_ROWS);
    Comparison<K> comparison = local.comparison();
    return new ComparisonPart(
        table.host().instance(),
        local.compared(),
        comparison.equal(),
        comparison.different(),
        comparison.onlyInFirst(),
        comparison.onlyInSecond(),
        comparison.truncated(),
        comparison.differences().stream().map(this::differenceRow).toList(),
        rowsJson(local.firstRows()),
        rowsJson(local.secondRows()));
  }

  private <K> TableComparison compareTable(
      JobHost host, ResolvedTable<K, ?> first, Request request, Set<String> instances) {
    String name = first.table().name();
    if (first.table().shape() == ServingTable.Shape.SESSION) {
      return new TableComparison(
          name,
          first.table().shape().name(),
          0,
          0,
          0,
          0,
          false,
          false,
          "Session tables are not compared as a whole: compare the sessions of a key at"
              + " .../tables/"
              + name
              + "/keys/{key}/windows?version=",
          List.of());
    }
    TableView<?, ?> second =
        host.queries().table(request.job(), name, OptionalInt.of(request.second()));
    Map<HostInfo, Set<Integer>> firstHolders = first.view().hosts();
    Map<HostInfo, Set<Integer>> secondHolders = second.hosts();
    Set<HostInfo> holders = new TreeSet<>(HOST_ORDER);
    holders.addAll(firstHolders.keySet());
    holders.addAll(secondHolders.keySet());
    Optional<HostInfo> self = host.localHost();
    List<String> path = List.of("jobs", request.job(), "tables", name, "compare");
    List<CompletableFuture<ComparisonPart>> asked = new ArrayList<>();
    for (HostInfo holder : holders) {
      if (!holder.equals(self.orElse(null))) {
        asked.add(
            CompletableFuture.supplyAsync(
                () -> part(peers.get(holder, path, request.query())), peerCalls));
      }
    }
    List<ComparisonPart> parts = new ArrayList<>();
    if (holders.isEmpty() || (self.isPresent() && holders.contains(self.get()))) {
      parts.add(localPart(first, request));
    }
    asked.forEach(answer -> parts.add(QueryRouter.joined(answer)));
    parts.forEach(part -> instances.add(part.instance()));
    return merge(first, second.servingTable(), parts, firstHolders, secondHolders, request);
  }

  private <K> TableComparison merge(
      ResolvedTable<K, ?> first,
      ServingTable<?, ?> secondTable,
      List<ComparisonPart> parts,
      Map<HostInfo, Set<Integer>> firstHolders,
      Map<HostInfo, Set<Integer>> secondHolders,
      Request request) {
    ServingTable<K, ?> table = first.table();
    Comparator<K> order = Comparison.keyOrder(table);
    BiPredicate<Object, Object> same = Comparison.sameSerializedValues(table, secondTable);
    List<Comparison<K>> comparisons = new ArrayList<>();
    Set<Integer> firstCovered = new TreeSet<>();
    Set<Integer> secondCovered = new TreeSet<>();
    Map<Integer, List<TableRow<K>>> firstRows = new TreeMap<>();
    Map<Integer, List<TableRow<K>>> secondRows = new TreeMap<>();
    for (ComparisonPart part : parts) {
      firstCovered.addAll(part.compared());
      secondCovered.addAll(part.compared());
      comparisons.add(
          new Comparison<>(
              part.equal(),
              part.different(),
              part.onlyInFirst(),
              part.onlyInSecond(),
              part.differences().stream().map(row -> difference(table, row)).toList(),
              part.truncated()));
      part.firstRows()
          .forEach((partition, rows) -> firstRows.put(partition, typed(table, table, rows)));
      part.secondRows()
          .forEach((partition, rows) -> secondRows.put(partition, typed(table, secondTable, rows)));
    }
    firstCovered.addAll(firstRows.keySet());
    secondCovered.addAll(secondRows.keySet());
    Set<Integer> missing = new TreeSet<>(partitions(firstHolders));
    missing.removeAll(firstCovered);
    Set<Integer> secondMissing = new TreeSet<>(partitions(secondHolders));
    secondMissing.removeAll(secondCovered);
    for (Map.Entry<Integer, List<TableRow<K>>> rows : firstRows.entrySet()) {
      List<TableRow<K>> other = secondRows.get(rows.getKey());
      if (other == null) {
        secondMissing.add(rows.getKey());
      } else {
        comparisons.add(Comparison.of(rows.getValue(), other, same, order, request.limit()));
      }
    }
    secondRows.keySet().stream().filter(p -> !firstRows.containsKey(p)).forEach(missing::add);
    if (!missing.isEmpty() || !secondMissing.isEmpty()) {
      throw new StoreNotReadyException(
          "Table '"
              + table.name()
              + "' cannot be compared yet: partitions "
              + missing
              + " of v"
              + request.first()
              + " and "
              + secondMissing
              + " of v"
              + request.second()
              + " are moving between instances",
          Duration.ofSeconds(1));
    }
    Comparison<K> merged = Comparison.merge(comparisons, order, request.limit());
    return new TableComparison(
        table.name(),
        table.shape().name(),
        merged.equal(),
        merged.different(),
        merged.onlyInFirst(),
        merged.onlyInSecond(),
        true,
        merged.truncated(),
        null,
        merged.differences().stream().map(this::differenceRow).toList());
  }

  private static Set<Integer> partitions(Map<HostInfo, Set<Integer>> holders) {
    Set<Integer> partitions = new TreeSet<>();
    holders.values().forEach(partitions::addAll);
    return partitions;
  }

  private <K> List<TableRow<K>> typed(
      ServingTable<K, ?> table, ServingTable<?, ?> values, List<RowJson> rows) {
    return rows.stream()
        .map(
            row ->
                new TableRow<>(
                    json.convertValue(row.key(), table.keys().type()),
                    row.start(),
                    row.end(),
                    (Object) json.convertValue(row.value(), values.values().type())))
        .toList();
  }

  private <K> Difference<K> difference(ServingTable<K, ?> table, DifferenceRow row) {
    return new Difference<>(
        Difference.Kind.valueOf(row.kind()),
        json.convertValue(row.key(), table.keys().type()),
        row.start(),
        row.end(),
        row.first(),
        row.second());
  }

  private DifferenceRow differenceRow(Difference<?> difference) {
    return new DifferenceRow(
        difference.kind().name(),
        json.valueToTree(difference.key()),
        difference.start(),
        difference.end(),
        difference.first() == null ? null : json.valueToTree(difference.first()),
        difference.second() == null ? null : json.valueToTree(difference.second()));
  }

  private Map<Integer, List<RowJson>> rowsJson(
      SortedMap<Integer, ? extends List<? extends TableRow<?>>> rows) {
    Map<Integer, List<RowJson>> sent = new TreeMap<>();
    rows.forEach(
        (partition, partitionRows) ->
            sent.put(
                partition,
                partitionRows.stream()
                    .map(
                        row ->
                            new RowJson(
                                json.valueToTree(row.key()),
                                row.start(),
                                row.end(),
                                json.valueToTree(row.value())))
                    .toList()));
    return sent;
  }

  private ComparisonPart part(PeerAnswer answer) {
    try {
      return json.readValue(answer.body(), ComparisonPart.class);
    } catch (JsonProcessingException e) {
      throw new KappaException(
          "Instance "
              + answer.host()
              + " sent a comparison this instance cannot read: "
              + e.getMessage(),
          e);
    }
  }
}
