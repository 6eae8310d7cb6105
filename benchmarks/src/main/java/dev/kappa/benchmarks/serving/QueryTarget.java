package dev.kappa.benchmarks.serving;

import dev.kappa.benchmarks.internal.JsonHttp;
import dev.kappa.benchmarks.scenarios.WindowedAggregation;
import dev.kappa.benchmarks.workload.Workload;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link QueryLoad} asks: a serving table of a job, through the instances at {@code urls}
 * (named {@code instances}, as their answers name them), for {@code keys}. For a windowed table
 * each query asks for the windows of a key that start between {@code from} and {@code to}.
 *
 * @param from the first window start asked for a windowed table, null for a key-value table
 * @param to the last window start asked for a windowed table, null for a key-value table
 */
public record QueryTarget(
    String job,
    String table,
    boolean windowed,
    List<URI> urls,
    List<String> instances,
    List<String> keys,
    @Nullable Instant from,
    @Nullable Instant to) {

  /** Checks the arguments and copies the lists. */
  public QueryTarget {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(table, "table");
    urls = List.copyOf(urls);
    instances = List.copyOf(instances);
    keys = List.copyOf(keys);
    if (urls.isEmpty() || urls.size() != instances.size()) {
      throw new IllegalArgumentException(
          "Invalid query target: " + urls.size() + " URLs for " + instances.size() + " instances");
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot query table '" + table + "' of job '" + job + "': it has no keys yet");
    }
    if (windowed && (from == null || to == null)) {
      throw new IllegalArgumentException(
          "A query of windowed table '" + table + "' needs the window starts from and to");
    }
  }

  /**
   * The windows of the first {@code count} customers of {@code workload} in the windowed
   * aggregation {@code job} (the table {@link WindowedAggregation#USAGE_BY_CUSTOMER}), from the
   * workload's first minute to its last, through the instances at {@code urls}. The keys come from
   * the workload, not from a range query, which the service answers by reading the whole table.
   */
  static QueryTarget customerWindows(Workload workload, String job, List<URI> urls, int count) {
    Set<String> customers = new TreeSet<>();
    Instant[] last = {workload.start()};
    workload.generate(
        (topic, record) -> {
          if (topic.equals(Workload.READINGS)) {
            if (customers.size() < count) {
              customers.add(record.key());
            }
            if (record.timestamp().isAfter(last[0])) {
              last[0] = record.timestamp();
            }
          }
        });
    return new QueryTarget(
        job,
        WindowedAggregation.USAGE_BY_CUSTOMER.name(),
        true,
        urls,
        QueryLoad.instances(urls),
        List.copyOf(customers),
        workload.start().truncatedTo(ChronoUnit.MINUTES),
        last[0].truncatedTo(ChronoUnit.MINUTES));
  }

  /** The path of the query of {@code key}, relative to an instance's URL. */
  String path(String key) {
    String path =
        "/jobs/"
            + JsonHttp.segment(job)
            + "/tables/"
            + JsonHttp.segment(table)
            + "/keys/"
            + JsonHttp.segment(key);
    return windowed ? path + "/windows?from=" + from + "&to=" + to : path;
  }

  @Override
  public String toString() {
    return (windowed ? "windowed table '" : "table '")
        + table
        + "' of job '"
        + job
        + "', "
        + keys.size()
        + " keys"
        + (windowed ? ", windows from " + from + " to " + to : "")
        + ", through "
        + instances;
  }
}
