package dev.kappa.api.query;

import dev.kappa.api.host.ServingHost;
import dev.kappa.api.host.UnknownVersionException;
import dev.kappa.reprocessing.JobHost;
import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.query.TableQueries;
import dev.kappa.reprocessing.query.UnknownTableException;
import dev.kappa.topology.JobTopology;
import dev.kappa.topology.ServingTable;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A serving table named in a request, in the one version that answers it: the version asked for, or
 * the job's active version when the request was read. Pinning the version here means a query is
 * answered by exactly one version, even across a swap and across instances.
 */
record ResolvedTable<K, V>(
    JobHost host, JobVersion version, ServingTable<K, V> table, TableQueries.TableView<K, V> view) {

  static ResolvedTable<?, ?> of(
      ServingHost serving, String job, String tableName, @Nullable Integer versionNumber) {
    JobHost host = serving.requireJob(job);
    int number;
    if (versionNumber != null) {
      number = versionNumber;
    } else {
      OptionalInt active = host.activeVersion(job);
      if (active.isEmpty()) {
        throw new UnknownVersionException(
            "Job '" + job + "' has no active version yet: start one with the admin API");
      }
      number = active.getAsInt();
    }
    ServingHost.requireVersion(host, job, number);
    JobVersion version = JobVersion.of(job, number);
    JobTopology topology =
        host.topology(version)
            .orElseThrow(
                () ->
                    new UnknownVersionException(
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

  /**
   * @throws BadQueryException if the table is not of one of {@code shapes}, saying which queries it
   *     answers
   */
  ResolvedTable<K, V> requireShape(String what, ServingTable.Shape... shapes) {
    if (!java.util.List.of(shapes).contains(table.shape())) {
      throw new BadQueryException(
          "Cannot "
              + what
              + " of table '"
              + table.name()
              + "': it is a "
              + table.shape()
              + " table. "
              + (table.shape() == ServingTable.Shape.KEY_VALUE
                  ? "Ask for a key at .../keys/{key} or a range at .../keys"
                  : "Ask for the windows of a key at .../keys/{key}/windows"
                      + (table.shape() == ServingTable.Shape.WINDOWED
                          ? " or of all keys at .../windows"
                          : "")));
    }
    return this;
  }

  private static <K, V> ResolvedTable<K, V> create(
      JobHost host, JobVersion version, ServingTable<K, V> table) {
    return new ResolvedTable<>(
        host,
        version,
        table,
        host.queries().table(version.job(), table).inVersion(version.number()));
  }

  K key(String text) {
    return KeyText.parse(table, text);
  }
}
