package dev.kappa.reprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kappa.reprocessing.SiteReadings.Total;
import dev.kappa.reprocessing.query.StoreNotReadyException;
import dev.kappa.reprocessing.query.TableQueries;
import dev.kappa.topology.ServingTable;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The windows of {@link SiteReadings#BY_SITE}, and of the same totals aggregated in two phases, as
 * the tests read them and compare them.
 */
final class SiteWindows {

  private SiteWindows() {}

  /**
   * The windows of {@code site} in {@code version} of {@code job}, from whichever of {@code hosts}
   * holds its partition (hosts without an {@code application.server} answer from the partitions
   * they hold).
   */
  static Map<Instant, Total> of(Collection<JobHost> hosts, String job, int version, String site) {
    return of(hosts, job, version, SiteReadings.BY_SITE, site);
  }

  /** The windows of {@code key} in {@code table}, as {@link #of} reads them. */
  static Map<Instant, Total> of(
      Collection<JobHost> hosts,
      String job,
      int version,
      ServingTable<String, Total> servingTable,
      String key) {
    Map<Instant, Total> windows = new TreeMap<>();
    for (JobHost host : hosts) {
      TableQueries.TableView<String, Total> table =
          host.queries().table(job, servingTable).inVersion(version);
      table
          .windows(
              key,
              Workload.START.minus(Duration.ofHours(1)),
              Workload.START.plus(Duration.ofDays(1)))
          .value()
          .forEach(window -> windows.put(window.start(), window.value()));
    }
    return windows;
  }

  /**
   * Waits up to {@code timeout} until every site's windows in {@code version} are those {@code
   * workload} produced, every reading or only the large ones: in {@link SiteReadings#BY_SITE}, in
   * {@link SiteReadings#SITE_MINUTES} and in its rollups {@link SiteReadings#SITE_HOURS} and {@link
   * SiteReadings#ALL_SITES}.
   */
  static void awaitExact(
      Collection<JobHost> hosts,
      String job,
      int version,
      Workload workload,
      boolean onlyLarge,
      Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(250))
        .ignoreException(StoreNotReadyException.class)
        .untilAsserted(
            () -> {
              for (int site = 0; site < Workload.sites(); site++) {
                String name = Workload.site(site);
                Map<Instant, Total> minutes = workload.expectedWindows(name, onlyLarge);
                assertThat(of(hosts, job, version, name))
                    .as("windows of %s in v%d", name, version)
                    .isEqualTo(minutes);
                assertThat(of(hosts, job, version, SiteReadings.SITE_MINUTES, name))
                    .as("two-phase windows of %s in v%d", name, version)
                    .isEqualTo(minutes);
                assertThat(of(hosts, job, version, SiteReadings.SITE_HOURS, name))
                    .as("hours of %s in v%d", name, version)
                    .isEqualTo(sum(minutes, window -> window.truncatedTo(ChronoUnit.HOURS)));
              }
              assertThat(of(hosts, job, version, SiteReadings.ALL_SITES, SiteReadings.ALL))
                  .as("windows of all sites in v%d", version)
                  .isEqualTo(allSites(workload, onlyLarge));
            });
  }

  /** The expected windows of every site added up, minute by minute. */
  private static Map<Instant, Total> allSites(Workload workload, boolean onlyLarge) {
    Map<Instant, Total> all = new TreeMap<>();
    for (int site = 0; site < Workload.sites(); site++) {
      workload
          .expectedWindows(Workload.site(site), onlyLarge)
          .forEach((start, total) -> all.merge(start, total, Total::plus));
    }
    return all;
  }

  /** {@code windows} added up into the windows that {@code coarser} puts their starts in. */
  private static Map<Instant, Total> sum(
      Map<Instant, Total> windows, UnaryOperator<Instant> coarser) {
    Map<Instant, Total> sums = new TreeMap<>();
    windows.forEach((start, total) -> sums.merge(coarser.apply(start), total, Total::plus));
    return sums;
  }
}
