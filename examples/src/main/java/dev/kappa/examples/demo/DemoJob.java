package dev.kappa.examples.demo;

import dev.kappa.examples.failedlogins.FailedLoginsJob;
import dev.kappa.examples.incidents.IncidentsJob;
import dev.kappa.examples.networkusage.NetworkUsageJob;
import dev.kappa.examples.pagehits.PageHitsJob;
import dev.kappa.examples.rollups.RollupsJob;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The example jobs the demo runs ({@code --job}), each with its workload. */
enum DemoJob {
  NETWORK_USAGE(NetworkUsageJob.NAME, NetworkUsageWorkload::new),
  PAGE_HITS(PageHitsJob.NAME, PageHitsWorkload::new),
  FAILED_LOGINS(FailedLoginsJob.NAME, FailedLoginsWorkload::new),
  TIME_ROLLUPS(RollupsJob.NAME, RollupsWorkload::new),
  INCIDENTS(IncidentsJob.NAME, IncidentsWorkload::new);

  private final String jobName;
  private final Function<DemoOptions, DemoWorkload> workload;

  DemoJob(String jobName, Function<DemoOptions, DemoWorkload> workload) {
    this.jobName = jobName;
    this.workload = workload;
  }

  /** The job's name, as {@code --job} and the service know it. */
  String jobName() {
    return jobName;
  }

  /** A new workload of this job, shaped by {@code options}. */
  DemoWorkload workload(DemoOptions options) {
    return workload.apply(options);
  }

  /**
   * The job called {@code name}.
   *
   * @throws IllegalArgumentException naming the jobs there are, if none is called {@code name}
   */
  static DemoJob named(String name) {
    return Arrays.stream(values())
        .filter(job -> job.jobName.equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Option --job names no example job: got '"
                        + name
                        + "'. Pass one of: "
                        + names()));
  }

  /** The names of the jobs, comma-separated, in the order of the README's examples table. */
  static String names() {
    return Arrays.stream(values()).map(DemoJob::jobName).collect(Collectors.joining(", "));
  }
}
