package dev.kappa.api.query;

import dev.kappa.api.host.ServingHost;
import dev.kappa.api.peer.PeerClient;
import dev.kappa.api.query.QueryParameters.TimeRange;
import dev.kappa.api.query.Results.ComparisonPart;
import dev.kappa.api.query.Results.KeyResult;
import dev.kappa.api.query.Results.PartitionResult;
import dev.kappa.api.query.Results.WindowsResult;
import dev.kappa.api.security.Roles;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Hidden;
import org.jspecify.annotations.Nullable;

/**
 * What instances ask each other: answers from this instance's own stores, never forwarded further.
 * A key held elsewhere, or a store not ready, is a 503 that the asking instance retries. Only
 * callers with the peer token may call it.
 */
@Controller(PeerClient.INTERNAL + "/jobs/{job}/tables/{table}")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.PEER)
@Hidden
final class PeerQueryController {

  private final ServingHost serving;
  private final LocalQueries local;
  private final VersionComparer comparer;

  PeerQueryController(ServingHost serving, LocalQueries local, VersionComparer comparer) {
    this.serving = serving;
    this.local = local;
    this.comparer = comparer;
  }

  @Get(uri = "/keys/{key}", produces = MediaType.APPLICATION_JSON)
  KeyResult key(
      @PathVariable String job,
      @PathVariable String table,
      @PathVariable String key,
      @QueryValue @Nullable String version) {
    return local.key(resolve(job, table, version), key);
  }

  @Get(uri = "/keys/{key}/windows", produces = MediaType.APPLICATION_JSON)
  WindowsResult windows(
      @PathVariable String job,
      @PathVariable String table,
      @PathVariable String key,
      @QueryValue @Nullable String from,
      @QueryValue @Nullable String to,
      @QueryValue @Nullable String version) {
    TimeRange range = QueryParameters.timeRange(from, to);
    return local.windows(resolve(job, table, version), key, range.from(), range.to());
  }

  @Get(uri = "/keys", produces = MediaType.APPLICATION_JSON)
  PartitionResult range(
      @PathVariable String job,
      @PathVariable String table,
      @QueryValue @Nullable String from,
      @QueryValue @Nullable String to,
      @QueryValue @Nullable String version,
      @QueryValue @Nullable String limit) {
    return local.range(resolve(job, table, version), from, to, QueryParameters.limit(limit));
  }

  @Get(uri = "/windows", produces = MediaType.APPLICATION_JSON)
  PartitionResult windowRange(
      @PathVariable String job,
      @PathVariable String table,
      @QueryValue @Nullable String from,
      @QueryValue @Nullable String to,
      @QueryValue @Nullable String version,
      @QueryValue @Nullable String limit) {
    TimeRange range = QueryParameters.timeRange(from, to);
    return local.windowRange(
        resolve(job, table, version), range.from(), range.to(), QueryParameters.limit(limit));
  }

  @Get(uri = "/compare", produces = MediaType.APPLICATION_JSON)
  ComparisonPart compare(
      @PathVariable String job,
      @PathVariable String table,
      @QueryValue @Nullable String first,
      @QueryValue @Nullable String second,
      @QueryValue @Nullable String from,
      @QueryValue @Nullable String to,
      @QueryValue @Nullable String keyFrom,
      @QueryValue @Nullable String keyTo,
      @QueryValue @Nullable String limit) {
    return comparer.localPart(
        table,
        CompareController.request(job, first + "," + second, from, to, keyFrom, keyTo, limit));
  }

  private ResolvedTable<?, ?> resolve(String job, String table, @Nullable String version) {
    return ResolvedTable.of(serving, job, table, QueryParameters.version(version));
  }
}
