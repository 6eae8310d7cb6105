package dev.kappa.examples.demo;

import dev.kappa.examples.networkusage.NetworkUsageJob;
import dev.kappa.examples.networkusage.Usage;
import dev.kappa.examples.networkusage.UsageGenerator;
import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.query.Answer;
import dev.kappa.reprocessing.query.KeyElsewhereException;
import dev.kappa.reprocessing.query.StoreNotReadyException;
import dev.kappa.reprocessing.query.WindowValue;
import dev.kappa.topology.ServingTable;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the network-usage demo prints of the job's tables every few seconds: the latest window of
 * each agent and of the network as the service answers it (with v1's beside v2's while both run).
 */
final class NetworkUsageTables {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final String JOB = NetworkUsageJob.NAME;
  private static final JobVersion V1 = JobVersion.of(JOB, 1);

  /** How far back a report looks for the latest window of a key. */
  private static final Duration RECENT = Duration.ofMinutes(3);

  private final DemoServices services;
  private final PrintStream out;
  private final List<String> agents = new ArrayList<>();

  /** Reports on {@code services} to {@code out}, with {@code agentCount} agents. */
  NetworkUsageTables(DemoServices services, int agentCount, PrintStream out) {
    this.services = services;
    this.out = out;
    for (int agent = 0; agent < agentCount; agent++) {
      agents.add(UsageGenerator.agentId(agent));
    }
  }

  void print(boolean besideV1) {
    Instant to = Instant.now();
    Instant from = to.minus(RECENT);
    List<String> rows = new ArrayList<>();
    @Nullable JobVersion answeredBy = null;
    @Nullable String notReady = null;
    List<Map.Entry<ServingTable<String, Usage>, String>> keys = new ArrayList<>();
    agents.forEach(agent -> keys.add(Map.entry(NetworkUsageJob.USAGE_BY_AGENT, agent)));
    keys.add(Map.entry(NetworkUsageJob.USAGE_NETWORK, NetworkUsageJob.NETWORK));
    for (Map.Entry<ServingTable<String, Usage>, String> key : keys) {
      try {
        Answer<List<WindowValue<Usage>>> answer =
            services.query(
                queries -> queries.table(JOB, key.getKey()).windows(key.getValue(), from, to));
        answeredBy = answer.version();
        List<WindowValue<Usage>> windows = answer.value();
        if (!windows.isEmpty()) {
          WindowValue<Usage> shown = windows.get(windows.size() - 1);
          if (besideV1) {
            // The live minute grows while it is read, in each version at its own pace; the
            // minute that has ended compares like with like.
            shown = lastEnded(windows, to).orElse(shown);
          }
          rows.add(
              row(key.getValue(), shown)
                  + (besideV1 ? inV1(key.getKey(), key.getValue(), shown) : ""));
        }
      } catch (StoreNotReadyException e) {
        notReady = e.getMessage();
      } catch (KeyElsewhereException e) {
        rows.add(String.format("%-8s %s", key.getValue(), e.getMessage()));
      }
    }
    if (answeredBy == null) {
      out.println("no answers yet: " + notReady);
      return;
    }
    out.println(
        "answers from "
            + answeredBy
            + (besideV1 ? ", with v1 beside it until it is retired, in the last full minute" : ""));
    out.printf("%-8s %-19s %10s %9s", "agent", "window (UTC)", "bytes", "readings");
    out.println(besideV1 ? String.format(" %11s %11s", "v1 bytes", "v1 readings") : "");
    rows.forEach(out::println);
    if (notReady != null) {
      out.println("(some keys are not ready: " + notReady + ")");
    }
  }

  private Optional<WindowValue<Usage>> lastEnded(List<WindowValue<Usage>> windows, Instant now) {
    return windows.stream().filter(window -> !window.end().isAfter(now)).reduce((a, b) -> b);
  }

  /** The same window of {@code key} in v1, while v2 is active. */
  private String inV1(ServingTable<String, Usage> table, String key, WindowValue<Usage> window) {
    try {
      List<WindowValue<Usage>> windows =
          services
              .query(
                  queries ->
                      queries
                          .table(JOB, table)
                          .inVersion(V1.number())
                          .windows(key, window.start(), window.start()))
              .value();
      if (windows.isEmpty()) {
        return "";
      }
      Usage usage = windows.get(0).value();
      return String.format(" %11s %11d", megabytes(usage.bytes()), usage.readings());
    } catch (StoreNotReadyException | KeyElsewhereException e) {
      // v1 is stopping, or moving between the instances: its column stays empty.
      return "";
    }
  }

  private String row(String key, WindowValue<Usage> window) {
    Usage usage = window.value();
    return String.format(
        "%-8s %-19s %10s %9d",
        key,
        TIME.format(window.start()) + "-" + TIME.format(window.end()),
        megabytes(usage.bytes()),
        usage.readings());
  }

  private static String megabytes(long bytes) {
    return String.format("%.1f MB", bytes / 1_000_000.0);
  }
}
