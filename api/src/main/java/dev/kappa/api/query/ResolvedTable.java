package dev.kappa.api.query;

import dev.kappa.api.host.ServingHost;
import dev.kappa.reprocessing.JobHost;
import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.query.TableQueries;
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

  /**
   * @throws dev.kappa.reprocessing.query.UnknownTableException if the job, version or table is
   *     unknown (as {@link TableQueries#table(String, String, OptionalInt)} says)
   */
  static ResolvedTable<?, ?> of(
      ServingHost serving, String job, String tableName, @Nullable Integer versionNumber) {
    JobHost host = serving.require();
    return of(
        host,
        host.queries()
            .table(
                job,
                tableName,
                versionNumber == null ? OptionalInt.empty() : OptionalInt.of(versionNumber)));
  }

  private static <K, V> ResolvedTable<K, V> of(JobHost host, TableQueries.TableView<K, V> view) {
    JobVersion version = JobVersion.of(view.job(), view.version().getAsInt());
    return new ResolvedTable<>(host, version, view.servingTable(), view);
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

  K key(String text) {
    return KeyText.parse(table, text);
  }
}
