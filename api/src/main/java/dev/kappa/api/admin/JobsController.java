package dev.kappa.api.admin;

import dev.kappa.api.admin.Views.JobView;
import dev.kappa.api.host.ServingHost;
import dev.kappa.reprocessing.JobHost;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;

/** The jobs this service hosts: their versions, the active one, and the tables of each. */
@Controller("/jobs")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "queries")
final class JobsController {

  private final ServingHost serving;

  JobsController(ServingHost serving) {
    this.serving = serving;
  }

  @Get(produces = MediaType.APPLICATION_JSON)
  @Operation(summary = "The jobs, their versions and tables")
  List<JobView> jobs() {
    JobHost host = serving.require();
    return host.jobs().stream().map(job -> JobView.of(host, job)).toList();
  }

  @Get(uri = "/{job}", produces = MediaType.APPLICATION_JSON)
  @Operation(summary = "One job, its versions and tables")
  JobView job(@PathVariable String job) {
    return JobView.of(serving.requireJob(job), job);
  }
}
