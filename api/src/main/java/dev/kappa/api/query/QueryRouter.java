package dev.kappa.api.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kappa.api.KappaProperties;
import dev.kappa.api.host.ServingHost;
import dev.kappa.api.peer.PeerClient;
import dev.kappa.api.peer.PeerClient.PeerAnswer;
import dev.kappa.api.query.Results.PartitionResult;
import dev.kappa.api.query.Results.RangeResult;
import dev.kappa.reprocessing.query.KeyElsewhereException;
import dev.kappa.reprocessing.query.StoreNotReadyException;
import dev.kappa.topology.KappaException;
import dev.kappa.topology.ServingTable;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.apache.kafka.streams.state.HostInfo;
import org.jspecify.annotations.Nullable;

/**
 * Answers queries from the instance that holds the data: a key from the instance with its active
 * store (this one or another, through its internal endpoint), a range from every instance at once,
 * merged. The version is pinned when the query is read, so one answer comes from one version. While
 * a store restores or migrates, or a key moves, it retries with backoff for {@code
 * kappa.routing.not-ready-wait}, then gives up with {@link StoreNotReadyException} (503).
 */
@Singleton
final class QueryRouter {

  private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

  private final ServingHost serving;
  private final LocalQueries local;
  private final PeerClient peers;
  private final KappaProperties properties;
  private final ObjectMapper json;
  private final ExecutorService peerCalls;

  QueryRouter(
      ServingHost serving,
      LocalQueries local,
      PeerClient peers,
      KappaProperties properties,
      ObjectMapper json,
      @Named(TaskExecutors.BLOCKING) ExecutorService peerCalls) {
    this.serving = serving;
    this.local = local;
    this.peers = peers;
    this.properties = properties;
    this.json = json;
    this.peerCalls = peerCalls;
  }

  /** An answer and whether another instance gave it. */
  record Routed(Object body, boolean forwarded) {}

  Routed key(String job, String table, @Nullable Integer version, String keyText) {
    return retrying(
        () -> {
          ResolvedTable<?, ?> resolved = ResolvedTable.of(serving, job, table, version);
          try {
            return new Routed(local.key(resolved, keyText), false);
          } catch (KeyElsewhereException e) {
            return forward(e, keyPath(resolved, keyText), versionQuery(resolved, Map.of()));
          }
        });
  }

  Routed windows(
      String job,
      String table,
      @Nullable Integer version,
      String keyText,
      Instant from,
      Instant to) {
    return retrying(
        () -> {
          ResolvedTable<?, ?> resolved = ResolvedTable.of(serving, job, table, version);
          List<String> path = new ArrayList<>(keyPath(resolved, keyText));
          path.add("windows");
          Map<String, String> query =
              versionQuery(resolved, Map.of("from", from.toString(), "to", to.toString()));
          try {
            return new Routed(local.windows(resolved, keyText, from, to), false);
          } catch (KeyElsewhereException e) {
            return forward(e, path, query);
          }
        });
  }

  RangeResult range(
      String job,
      String table,
      @Nullable Integer version,
      @Nullable String from,
      @Nullable String to,
      int limit) {
    Map<String, String> query = new LinkedHashMap<>();
    if (from != null) {
      query.put("from", from);
    }
    if (to != null) {
      query.put("to", to);
    }
    return fanOut(
        job,
        table,
        version,
        "keys",
        query,
        limit,
        resolved -> local.range(resolved, from, to, limit),
        (left, right) -> 0);
  }

  RangeResult windowRange(
      String job, String table, @Nullable Integer version, Instant from, Instant to, int limit) {
    return fanOut(
        job,
        table,
        version,
        "windows",
        Map.of("from", from.toString(), "to", to.toString()),
        limit,
        resolved -> local.windowRange(resolved, from, to, limit),
        Comparator.comparing(row -> Instant.parse(row.get("start").asText())));
  }

  /** How this instance reads its own part of a fanned-out query. */
  private interface LocalPart {
    PartitionResult read(ResolvedTable<?, ?> table);
  }

  private RangeResult fanOut(
      String job,
      String table,
      @Nullable Integer version,
      String what,
      Map<String, String> query,
      int limit,
      LocalPart localPart,
      Comparator<JsonNode> thenBy) {
    return retrying(
        () -> {
          ResolvedTable<?, ?> resolved = ResolvedTable.of(serving, job, table, version);
          Map<HostInfo, Set<Integer>> holders = resolved.view().hosts();
          Set<Integer> expected = new TreeSet<>();
          holders.values().forEach(expected::addAll);
          Optional<HostInfo> self = resolved.host().localHost();
          // The other instances are asked all at once, while this one reads its own part.
          List<String> path = List.of("jobs", job, "tables", table, what);
          Map<String, String> limited = new LinkedHashMap<>(query);
          limited.put("limit", Integer.toString(limit));
          Map<String, String> pinned = versionQuery(resolved, limited);
          List<CompletableFuture<PartitionResult>> asked = new ArrayList<>();
          for (HostInfo holder : holders.keySet()) {
            if (!holder.equals(self.orElse(null))) {
              asked.add(
                  CompletableFuture.supplyAsync(
                      () -> partitionResult(peers.get(holder, path, pinned)), peerCalls));
            }
          }
          List<PartitionResult> parts = new ArrayList<>();
          if (holders.isEmpty() || (self.isPresent() && holders.containsKey(self.get()))) {
            parts.add(localPart.read(resolved));
          }
          asked.forEach(answer -> parts.add(joined(answer)));
          Set<Integer> answered = new TreeSet<>();
          parts.forEach(part -> answered.addAll(part.partitions()));
          if (!answered.containsAll(expected)) {
            Set<Integer> missing = new TreeSet<>(expected);
            missing.removeAll(answered);
            throw new StoreNotReadyException(
                "Table '"
                    + table
                    + "' of "
                    + resolved.version()
                    + " is not ready: partitions "
                    + missing
                    + " are moving between instances",
                Duration.ofSeconds(1));
          }
          return merge(resolved, parts, limit, thenBy);
        });
  }

  /** What another instance answered, or the exception it ended with, as it was thrown. */
  static <T> T joined(CompletableFuture<T> answer) {
    try {
      return answer.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private RangeResult merge(
      ResolvedTable<?, ?> resolved,
      List<PartitionResult> parts,
      int limit,
      Comparator<JsonNode> thenBy) {
    List<JsonNode> rows = new ArrayList<>();
    parts.forEach(part -> rows.addAll(part.rows()));
    rows.sort(byKey(resolved.table()).thenComparing(thenBy));
    // Each instance sent its first rows in key order, so the first of all of them are among these.
    boolean truncated = rows.size() > limit || parts.stream().anyMatch(PartitionResult::truncated);
    List<JsonNode> kept = rows.size() > limit ? rows.subList(0, limit) : rows;
    return new RangeResult(
        resolved.version().job(),
        resolved.table().name(),
        resolved.version().number(),
        parts.stream().map(PartitionResult::instance).toList(),
        kept.size(),
        truncated,
        List.copyOf(kept));
  }

  /** Orders rows by their key, read back into the table's key type once per row. */
  private <K> Comparator<JsonNode> byKey(ServingTable<K, ?> table) {
    Map<JsonNode, K> keys = new IdentityHashMap<>();
    return RowOrder.byKey(
        table,
        row ->
            keys.computeIfAbsent(row, r -> json.convertValue(r.get("key"), table.keys().type())));
  }

  private Routed forward(
      KeyElsewhereException elsewhere, List<String> path, Map<String, String> query) {
    HostInfo holder =
        elsewhere
            .location()
            .activeHost()
            .orElseThrow(
                () -> new StoreNotReadyException(elsewhere.getMessage(), Duration.ofSeconds(1)));
    return forward(holder, path, query);
  }

  private Routed forward(HostInfo holder, List<String> path, Map<String, String> query) {
    return new Routed(peers.get(holder, path, query).body(), true);
  }

  private PartitionResult partitionResult(PeerAnswer answer) {
    try {
      return json.readValue(answer.body(), PartitionResult.class);
    } catch (JsonProcessingException e) {
      throw new KappaException(
          "Instance "
              + answer.host()
              + " sent an answer this instance cannot read: "
              + e.getMessage(),
          e);
    }
  }

  private static List<String> keyPath(ResolvedTable<?, ?> resolved, String keyText) {
    return List.of(
        "jobs", resolved.version().job(), "tables", resolved.table().name(), "keys", keyText);
  }

  private static Map<String, String> versionQuery(
      ResolvedTable<?, ?> resolved, Map<String, String> query) {
    Map<String, String> pinned = new LinkedHashMap<>(query);
    pinned.put("version", Integer.toString(resolved.version().number()));
    return pinned;
  }

  /** Runs {@code attempt} until it answers, or until the wait for a store is over. */
  <T> T retrying(Supplier<T> attempt) {
    long deadline = System.nanoTime() + properties.getRouting().getNotReadyWait().toNanos();
    Duration backoff = properties.getRouting().getRetryBackoff();
    while (true) {
      try {
        return attempt.get();
      } catch (StoreNotReadyException e) {
        if (System.nanoTime() + backoff.toNanos() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(backoff.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreNotReadyException("Interrupted while waiting for a store", backoff);
      }
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF
              : backoff.multipliedBy(2);
    }
  }
}
