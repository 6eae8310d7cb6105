package dev.kappa.api.admin;

import dev.kappa.api.admin.Views.JobView;
import dev.kappa.api.admin.Views.TopologyView;
import dev.kappa.api.host.ServingHost;
import dev.kappa.reprocessing.JobHost;
import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.query.UnknownVersionException;
import dev.kappa.topology.JobTopology;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;

/**
 * The jobs this service hosts: their versions, the active one, the tables of each, and the topology
 * of each version.
 */
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

  @Get(uri = "/{job}/versions/{version}/topology", produces = MediaType.APPLICATION_JSON)
  @Operation(
      summary = "The Kafka Streams topology of a version",
      description =
          "Its sub-topologies with their source, processor and sink nodes (the topics, stores and"
              + " successors of each), and its global stores, as Kafka Streams' TopologyDescription"
              + " describes them. 404 for a version the registry does not list.")
  TopologyView topology(@PathVariable String job, @PathVariable int version) {
    JobHost host = serving.requireJob(job);
    JobVersion listed = ServingHost.requireVersion(host, job, version).version();
    JobTopology topology =
        host.topology(listed).orElseThrow(() -> UnknownVersionException.noCode(listed));
    return TopologyView.of(listed, topology);
  }
}
