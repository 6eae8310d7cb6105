package dev.kappa.api.query;

import dev.kappa.api.query.QueryParameters.TimeRange;
import dev.kappa.api.query.Results.ComparisonResult;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;

/**
 * Compares two versions of a job before a swap: for one serving table or all of them, how many keys
 * or windows are equal, different, or present in one version only, and the first differences with
 * both values. Open as the queries are.
 */
@Controller("/jobs/{job}/compare")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "queries")
final class CompareController {

  private final VersionComparer comparer;

  CompareController(VersionComparer comparer) {
    this.comparer = comparer;
  }

  @Get(produces = MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Compare two versions",
      description =
          "Every instance compares the partitions it holds and the answers are merged. Windowed"
              + " tables are compared over the windows that start from `from` to `to` (ISO-8601"
              + " instants; by default the last hour), key-value tables over the keys from"
              + " `keyFrom` to `keyTo` (with `table` only; all keys by default). A range of more"
              + " than "
              + VersionComparer.MAX_ROWS
              + " rows per instance is refused: narrow it.")
  ComparisonResult compare(
      @PathVariable String job,
      @Parameter(description = "the two versions, first and second: 1,2") @QueryValue
          @Nullable String versions,
      @Parameter(description = "one serving table; all of them if absent") @QueryValue
          @Nullable String table,
      @QueryValue @Nullable String from,
      @QueryValue @Nullable String to,
      @QueryValue @Nullable String keyFrom,
      @QueryValue @Nullable String keyTo,
      @Parameter(description = "the most differences shown per table; 20 if absent") @QueryValue
          @Nullable String limit) {
    return comparer.compare(request(job, versions, from, to, keyFrom, keyTo, limit), table);
  }

  /** The comparison asked for, its parameters checked. */
  static VersionComparer.Request request(
      String job,
      @Nullable String versions,
      @Nullable String from,
      @Nullable String to,
      @Nullable String keyFrom,
      @Nullable String keyTo,
      @Nullable String limit) {
    String[] numbers = versions == null ? new String[0] : versions.split(",", -1);
    Integer first = numbers.length == 2 ? QueryParameters.version(numbers[0].strip()) : null;
    Integer second = numbers.length == 2 ? QueryParameters.version(numbers[1].strip()) : null;
    if (first == null || second == null) {
      throw new BadQueryException(
          "Bad versions '" + versions + "': send the two versions to compare, versions=1,2");
    }
    TimeRange range = QueryParameters.timeRange(from, to);
    return new VersionComparer.Request(
        job,
        first,
        second,
        range.from(),
        range.to(),
        keyFrom,
        keyTo,
        limit == null ? VersionComparer.DEFAULT_LIMIT : QueryParameters.limit(limit));
  }
}
