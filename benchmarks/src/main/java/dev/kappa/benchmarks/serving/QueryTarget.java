package dev.kappa.benchmarks.serving;

import dev.kappa.benchmarks.internal.JsonHttp;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
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
