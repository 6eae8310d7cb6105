package dev.kappa.api.admin;

import dev.kappa.api.admin.Views.ProgressView;
import dev.kappa.api.host.ServingHost;
import dev.kappa.api.peer.PeerClient;
import dev.kappa.api.security.Roles;
import dev.kappa.reprocessing.JobHost;
import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.query.StoreNotReadyException;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Hidden;
import java.time.Duration;

/** The replay progress this instance measures, for the instance an admin asked. */
@Controller(PeerClient.INTERNAL + "/jobs/{job}/versions/{version}")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.PEER)
@Hidden
final class PeerAdminController {

  private final ServingHost serving;

  PeerAdminController(ServingHost serving) {
    this.serving = serving;
  }

  @Get(uri = "/progress", produces = MediaType.APPLICATION_JSON)
  ProgressView progress(@PathVariable String job, @PathVariable int version) {
    JobHost host = serving.require();
    JobVersion jobVersion = JobVersion.of(job, version);
    return host.progress(jobVersion)
        .map(progress -> ProgressView.of(progress, host.instance()))
        .orElseThrow(
            () ->
                new StoreNotReadyException(
                    jobVersion + " has no progress on " + host.instance(), Duration.ofSeconds(1)));
  }
}
