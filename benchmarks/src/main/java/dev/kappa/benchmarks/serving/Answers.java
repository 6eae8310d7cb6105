package dev.kappa.benchmarks.serving;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The answers of a {@link QueryLoad}, in the order they were sent, with the last value each version
 * gave for each key. Immutable.
 */
public final class Answers {

  private final QueryTarget target;
  private final List<QueryAnswer> answers;
  private final Duration span;
  private final Map<Integer, Map<String, JsonNode>> lastValues;

  Answers(
      QueryTarget target,
      List<QueryAnswer> answers,
      Duration span,
      Map<Integer, Map<String, JsonNode>> lastValues) {
    this.target = target;
    this.answers =
        answers.stream().sorted(Comparator.comparingLong(QueryAnswer::startNanos)).toList();
    this.span = span;
    Map<Integer, Map<String, JsonNode>> values = new TreeMap<>();
    lastValues.forEach((version, byKey) -> values.put(version, Map.copyOf(byKey)));
    this.lastValues = java.util.Collections.unmodifiableMap(values);
  }

  /** What was asked. */
  public QueryTarget target() {
    return target;
  }

  /** Every answer, in the order the queries were sent. */
  public List<QueryAnswer> all() {
    return answers;
  }

  /** How long the load ran: the span that queries per second divide by. */
  public Duration span() {
    return span;
  }

  /**
   * The answers to the queries sent from {@code from} (inclusive) to {@code to} (exclusive) after
   * the load started; their span is that of the interval.
   */
  public Answers between(Duration from, Duration to) {
    long start = from.toNanos();
    long end = to.toNanos();
    return new Answers(
        target,
        answers.stream()
            .filter(answer -> answer.startNanos() >= start && answer.startNanos() < end)
            .toList(),
        to.minus(from),
        Map.of());
  }

  /**
   * The last value (a key-value table's {@code value}, a windowed table's {@code windows}) that
   * each version answered for each key, by version and key.
   */
  public Map<Integer, Map<String, JsonNode>> lastValues() {
    return lastValues;
  }

  /** The latencies of the 2xx answers given by the instance asked ({@code forwarded} false). */
  public Latencies latencies(boolean forwarded) {
    return Latencies.ofNanos(
        answers.stream()
            .filter(answer -> answer.ok() && answer.forwarded() == forwarded)
            .mapToLong(QueryAnswer::latencyNanos)
            .toArray());
  }

  /** The 2xx answers by the version they name. */
  public Map<Integer, Long> byVersion() {
    return count(QueryAnswer::ok, QueryAnswer::version);
  }

  /** The queries that failed, by HTTP status; 0 for those that got no answer at all. */
  public Map<Integer, Long> failuresByStatus() {
    return count(answer -> !answer.ok(), QueryAnswer::status);
  }

  /** Why queries got no answer at all, by reason. */
  public Map<String, Long> errors() {
    return answers.stream()
        .filter(answer -> answer.error() != null)
        .collect(Collectors.groupingBy(QueryAnswer::error, TreeMap::new, Collectors.counting()));
  }

  /** The queries that failed: any status but 2xx, or no answer. */
  public long failures() {
    return answers.stream().filter(answer -> !answer.ok()).count();
  }

  /**
   * When every instance asked began to answer from {@code version} only: for each instance, the
   * first query sent to it after which it gave no 2xx answer from another version; the latest of
   * these. Empty if an instance never did, or was never asked.
   */
  public Optional<Duration> allAnsweringFrom(int version) {
    long latest = 0;
    for (int asked = 0; asked < target.urls().size(); asked++) {
      long lastOther = Long.MIN_VALUE;
      Long first = null;
      for (QueryAnswer answer : answers) {
        if (answer.asked() != asked || !answer.ok()) {
          continue;
        }
        if (answer.version() != version) {
          lastOther = answer.startNanos();
          first = null;
        } else if (first == null && answer.startNanos() > lastOther) {
          first = answer.startNanos();
        }
      }
      if (first == null) {
        return Optional.empty();
      }
      latest = Math.max(latest, first);
    }
    return Optional.of(Duration.ofNanos(latest));
  }

  /**
   * A markdown table of latencies, answered locally and forwarded, with queries per second over
   * {@link #span()}, then the failures.
   */
  public String markdown() {
    StringBuilder table = new StringBuilder();
    table.append("| answered | queries | queries/s | p50 ms | p90 ms | p99 ms | max ms |\n");
    table.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    row(table, "local", latencies(false));
    row(table, "forwarded", latencies(true));
    table.append("\nversions answering: ").append(byVersion());
    table.append("; failed: ").append(failures());
    if (failures() > 0) {
      table.append(" by status ").append(failuresByStatus()).append(" (0: no answer)");
    }
    errors()
        .forEach(
            (error, count) ->
                table.append("\n  no answer: ").append(error).append(" x").append(count));
    return table.append('\n').toString();
  }

  /** The figures of {@link #markdown()} as a map, for a results file. */
  public Map<String, Object> summary() {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("span", span.toString());
    summary.put("local", summary(latencies(false)));
    summary.put("forwarded", summary(latencies(true)));
    summary.put("byVersion", byVersion());
    summary.put("failures", failures());
    summary.put("failuresByStatus", failuresByStatus());
    summary.put("errors", errors());
    return summary;
  }

  private Map<String, Object> summary(Latencies latencies) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("queries", latencies.count());
    summary.put("queriesPerSecond", perSecond(latencies.count()));
    summary.put("p50", latencies.percentile(50).toString());
    summary.put("p90", latencies.percentile(90).toString());
    summary.put("p99", latencies.percentile(99).toString());
    summary.put("max", latencies.max().toString());
    return summary;
  }

  private void row(StringBuilder table, String name, Latencies latencies) {
    table.append(
        String.format(
            "| %s | %,d | %,.0f | %.2f | %.2f | %.2f | %.1f |%n",
            name,
            latencies.count(),
            perSecond(latencies.count()),
            Latencies.millis(latencies.percentile(50)),
            Latencies.millis(latencies.percentile(90)),
            Latencies.millis(latencies.percentile(99)),
            Latencies.millis(latencies.max())));
  }

  private double perSecond(long count) {
    return span.isZero() ? 0 : count / (span.toNanos() / 1e9);
  }

  private Map<Integer, Long> count(
      Predicate<QueryAnswer> which, java.util.function.Function<QueryAnswer, Integer> by) {
    return answers.stream()
        .filter(which)
        .collect(Collectors.groupingBy(by, TreeMap::new, Collectors.counting()));
  }
}
