package dev.kappa.api.query;

import dev.kappa.api.query.QueryParameters.TimeRange;
import dev.kappa.api.query.QueryRouter.Routed;
import dev.kappa.api.query.Results.RangeResult;
import io.micronaut.http.HttpResponse;
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
 * Reads the serving tables of the jobs: a key, a range of keys, the windows of a key, the windows
 * of all keys. Each answer comes from one version (the active one unless {@code version} is given)
 * and names it and the instance that answered. Open to all unless {@code kappa.security.open-reads}
 * is false.
 */
@Controller("/jobs/{job}/tables/{table}")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "queries")
final class QueryController {

  private final QueryRouter router;
  private final QueryMetrics metrics;

  QueryController(QueryRouter router, QueryMetrics metrics) {
    this.router = router;
    this.metrics = metrics;
  }

  @Get(uri = "/keys/{key}", produces = MediaType.APPLICATION_JSON)
  @Operation(
      summary = "The value of a key",
      description =
          "Answered by the instance that holds the key; 404 if the table has no such key. A JSON"
              + " key is sent URL-encoded.")
  HttpResponse<?> key(
      @PathVariable String job,
      @PathVariable String table,
      @PathVariable String key,
      @Parameter(description = "a version number; the active version if absent") @QueryValue
          @Nullable String version) {
    Routed routed =
        metrics.time(
            "key",
            QueryController::routing,
            () -> router.key(job, table, QueryParameters.version(version), key));
    return HttpResponse.ok(routed.body()).contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  @Get(uri = "/keys/{key}/windows", produces = MediaType.APPLICATION_JSON)
  @Operation(
      summary = "The windows of a key that start between two instants",
      description = "from and to are ISO-8601 instants; by default the last hour.")
  HttpResponse<?> windows(
      @PathVariable String job,
      @PathVariable String table,
      @PathVariable String key,
      @QueryValue @Nullable String from,
      @QueryValue @Nullable String to,
      @QueryValue @Nullable String version) {
    TimeRange range = QueryParameters.timeRange(from, to);
    Routed routed =
        metrics.time(
            "windows",
            QueryController::routing,
            () ->
                router.windows(
                    job, table, QueryParameters.version(version), key, range.from(), range.to()));
    return HttpResponse.ok(routed.body()).contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  @Get(uri = "/keys", produces = MediaType.APPLICATION_JSON)
  @Operation(
      summary = "The keys from one key to another",
      description =
          "Asks every instance that holds a part of the table and merges the answers, sorted by"
              + " key. from and to are inclusive and optional.")
  RangeResult range(
      @PathVariable String job,
      @PathVariable String table,
      @QueryValue @Nullable String from,
      @QueryValue @Nullable String to,
      @QueryValue @Nullable String version,
      @QueryValue @Nullable String limit) {
    return metrics.time(
        "range",
        answer -> "fan-out",
        () ->
            router.range(
                job,
                table,
                QueryParameters.version(version),
                from,
                to,
                QueryParameters.limit(limit)));
  }

  @Get(uri = "/windows", produces = MediaType.APPLICATION_JSON)
  @Operation(
      summary = "The windows of every key that start between two instants",
      description = "Asks every instance that holds a part of the table and merges the answers.")
  RangeResult windowRange(
      @PathVariable String job,
      @PathVariable String table,
      @QueryValue @Nullable String from,
      @QueryValue @Nullable String to,
      @QueryValue @Nullable String version,
      @QueryValue @Nullable String limit) {
    TimeRange range = QueryParameters.timeRange(from, to);
    return metrics.time(
        "window-range",
        answer -> "fan-out",
        () ->
            router.windowRange(
                job,
                table,
                QueryParameters.version(version),
                range.from(),
                range.to(),
                QueryParameters.limit(limit)));
  }

  private static String routing(Routed routed) {
    return routed.forwarded() ? "forwarded" : "local";
  }
}
