package dev.kappa.api.query;

import dev.kappa.reprocessing.JobHost;
import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.query.TableQueries;
import dev.kappa.reprocessing.query.UnknownTableException;
import dev.kappa.topology.JobTopology;
import dev.kappa.topology.ServingTable;
import java.util.OptionalInt;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A serving table named in a request, in the one version that answers it: the version asked for, or
 * the job's active version when the request was read. Pinning the version here means a query is
 * answered by exactly one version, even across a swap and across instances.
 */
record ResolvedTable<K, V>(
    JobVersion version, ServingTable<K, V> table, TableQueries.TableView<K, V> view) {

  static ResolvedTable<?, ?> of(
      JobHost host, String job, String tableName, @Nullable Integer versionNumber) {
    if (!host.jobs().contains(job)) {
      throw new UnknownTableException(
          "Unknown job '" + job + "'; the jobs here are " + new TreeSet<>(host.jobs()));
    }
    int number;
    if (versionNumber != null) {
      if (versionNumber < 1) {
        throw new BadQueryException(
            "Bad version " + versionNumber + ": versions are numbered from 1");
      }
      number = versionNumber;
    } else {
      OptionalInt active = host.activeVersion(job);
      if (active.isEmpty()) {
        throw new UnknownTableException(
            "Job '" + job + "' has no active version yet: start one with the admin API");
      }
      number = active.getAsInt();
    }
    JobVersion version = JobVersion.of(job, number);
    if (host.history(job).version(number).isEmpty()) {
      throw new UnknownTableException(
          "Unknown version "
              + number
              + " of job '"
              + job
              + "'; its versions are "
              + host.history(job).versions().keySet());
    }
    JobTopology topology =
        host.topology(version)
            .orElseThrow(
                () ->
                    new UnknownTableException(
                        "This instance does not have the code of " + version));
    ServingTable<?, ?> table =
        topology
            .job()
            .servingTable(tableName)
            .orElseThrow(
                () ->
                    new UnknownTableException(
                        "Unknown table '"
                            + tableName
                            + "' of "
                            + version
                            + "; its tables are "
                            + topology.job().servingTables().stream()
                                .map(ServingTable::name)
                                .toList()));
    return create(host, version, table);
  }

  private static <K, V> ResolvedTable<K, V> create(
      JobHost host, JobVersion version, ServingTable<K, V> table) {
    return new ResolvedTable<>(
        version, table, host.queries().table(version.job(), table).inVersion(version.number()));
  }

  K key(String text) {
    return KeyText.parse(table, text);
  }
}
