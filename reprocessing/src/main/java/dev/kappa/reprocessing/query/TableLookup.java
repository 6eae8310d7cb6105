package dev.kappa.reprocessing.query;

import dev.kappa.reprocessing.JobVersion;
import dev.kappa.topology.JobTopology;
import dev.kappa.topology.ServedTable;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The one lookup of a job's version and of a serving table by name, with one set of errors for an
 * unknown job, version or table: every query resolves what it reads through it.
 */
final class TableLookup {

  private final ServingVersions versions;

  TableLookup(ServingVersions versions) {
    this.versions = versions;
  }

  /** The one lookup of a job's table by name, in a version asked for or in the active one. */
  Resolved resolve(String job, String name, OptionalInt number) {
    VersionCode version = version(job, number);
    JobTopology topology = version.topology();
    ServedTable served =
        topology
            .servedTable(name)
            .orElseThrow(
                () ->
                    new UnknownTableException(
                        "Unknown table '"
                            + name
                            + "' of "
                            + version.version()
                            + "; its tables are "
                            + topology.servedTables().stream().map(ServedTable::name).toList()));
    return new Resolved(version.version(), topology, served);
  }

  /** The lookup of a job's version, in a version asked for or in the active one. */
  VersionCode version(String job, OptionalInt number) {
    Set<String> jobs = versions.jobs();
    if (!jobs.contains(job)) {
      throw UnknownJobException.of(job, jobs);
    }
    int pinned =
        number.isPresent()
            ? number.getAsInt()
            : versions.activeVersion(job).orElseThrow(() -> UnknownVersionException.noActive(job));
    Set<Integer> listed = versions.listedVersions(job);
    if (!listed.contains(pinned)) {
      throw UnknownVersionException.notListed(job, pinned, listed);
    }
    JobVersion version = JobVersion.of(job, pinned);
    JobTopology topology =
        versions.topology(version).orElseThrow(() -> UnknownVersionException.noCode(version));
    return new VersionCode(version, topology);
  }

  record Resolved(JobVersion version, JobTopology topology, ServedTable served) {}

  /** A version found, with its code. */
  record VersionCode(JobVersion version, JobTopology topology) {}
}
