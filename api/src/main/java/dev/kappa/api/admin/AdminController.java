package dev.kappa.api.admin;

import dev.kappa.api.admin.Views.JobView;
import dev.kappa.api.admin.Views.PlanView;
import dev.kappa.api.admin.Views.ProgressView;
import dev.kappa.api.admin.Views.RetirementView;
import dev.kappa.api.admin.Views.StartRequest;
import dev.kappa.api.admin.Views.SwapRequest;
import dev.kappa.api.host.ServingHost;
import dev.kappa.api.query.BadQueryException;
import dev.kappa.api.security.Roles;
import dev.kappa.reprocessing.JobHost;
import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.StartOptions;
import dev.kappa.reprocessing.query.StoreNotReadyException;
import dev.kappa.reprocessing.query.UnknownVersionException;
import dev.kappa.reprocessing.registry.VersionState;
import dev.kappa.reprocessing.registry.VersionStatus;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Changes of logic: start a new version (it replays the log beside the active one), follow its
 * progress, swap to it when it has caught up, roll back, retire the old version. Only for callers
 * with the admin role; with no admin token or user configured, every call is refused. Each needs
 * the Kafka cluster: while it does not answer, each is a 503 to retry.
 */
@Controller("/admin/jobs/{job}")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.ADMIN)
@Tag(name = "admin")
@SecurityRequirement(name = "admin")
final class AdminController {

  private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private final ServingHost serving;

  AdminController(ServingHost serving) {
    this.serving = serving;
  }

  @Post(uri = "/versions", consumes = MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Start a new version",
      description =
          "It replays its sources from the earliest offsets beside the active version. Refused"
              + " (409) if a source no longer holds its first records, unless acceptPartialHistory.")
  HttpResponse<PlanView> start(@PathVariable String job, @Body StartRequest request) {
    JobHost host = serving.requireJobAndKafka(job);
    if (request.version() == null) {
      throw new BadQueryException("Send the number of the version to start: {\"version\": 2}");
    }
    JobVersion version = version(job, request.version());
    if (host.topology(version).isEmpty()) {
      throw new UnknownVersionException(
          "Unknown version "
              + version.number()
              + " of job '"
              + job
              + "': this service has no code for it");
    }
    StartOptions options = StartOptions.defaults();
    if (Boolean.TRUE.equals(request.acceptPartialHistory())) {
      options = options.acceptingPartialHistory();
    }
    if (Boolean.TRUE.equals(request.swapWhenCaughtUp())) {
      options = options.swappingWhenCaughtUp();
    }
    return HttpResponse.accepted()
        .body(PlanView.of(host.startVersion(job, version.number(), options)));
  }

  @Get(uri = "/versions/{version}/progress", produces = MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Replay progress of a version",
      description =
          "Measured on this instance from the version's committed offsets, which every instance"
              + " shares, with the records every instance dropped as late.")
  HttpResponse<?> progress(@PathVariable String job, @PathVariable int version) {
    JobHost host = serving.requireJobAndKafka(job);
    VersionState state = ServingHost.requireVersion(host, job, version);
    if (state.status() == VersionStatus.RETIRED) {
      throw new UnknownVersionException(
          state.version() + " is retired: it replays no more and has no progress");
    }
    return host.progress(state.version())
        .<HttpResponse<?>>map(
            progress -> HttpResponse.ok(ProgressView.of(progress, host.instance())))
        .orElseThrow(
            () ->
                new StoreNotReadyException(
                    state.version() + " has no progress here yet: it is " + state.status(),
                    RETRY_AFTER));
  }

  @Post(uri = "/swap", consumes = MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Swap to a version",
      description =
          "Every instance answers from it within moments. Refused (409) if it has not caught up,"
              + " unless force.")
  JobView swap(@PathVariable String job, @Body SwapRequest request) {
    JobHost host = serving.requireJobAndKafka(job);
    if (request.to() == null) {
      throw new BadQueryException("Send the version to swap to: {\"to\": 2}");
    }
    host.swap(job, version(job, request.to()).number(), Boolean.TRUE.equals(request.force()));
    return JobView.of(host, job);
  }

  @Post(uri = "/rollback")
  @Operation(summary = "Make the version that the active one replaced active again")
  JobView rollback(@PathVariable String job) {
    JobHost host = serving.requireJobAndKafka(job);
    host.rollback(job);
    return JobView.of(host, job);
  }

  @Post(uri = "/versions/{version}/retire")
  @Operation(
      summary = "Retire a version",
      description =
          "Stops it on every instance, then deletes its consumer group and exactly the topics it"
              + " owns. Refused (409) for the active version; 404 for one the registry does not"
              + " list.")
  RetirementView retire(@PathVariable String job, @PathVariable int version) {
    JobHost host = serving.requireJobAndKafka(job);
    int number = version(job, version).number();
    ServingHost.requireVersion(host, job, number); // 404 for a version the registry does not list
    return RetirementView.of(host.retire(job, number));
  }

  private static JobVersion version(String job, @Nullable Integer number) {
    if (number == null || number < 1) {
      throw new BadQueryException("Bad version " + number + ": versions are numbered from 1");
    }
    return JobVersion.of(job, number);
  }
}
