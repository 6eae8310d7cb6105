package dev.kappa.examples.networkusage;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The URLs and curl commands the demo prints for the two instances of the service. */
final class DemoUrls {

  private DemoUrls() {}

  /** What a user can open or curl while the demo runs; the README explains each. */
  static void print(PrintStream out, List<String> urls) {
    String a = urls.get(0);
    String b = urls.get(1);
    String tables = "/jobs/" + NetworkUsageJob.NAME + "/tables/";
    Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
    String admin = "curl -H 'Authorization: Bearer " + DemoServices.ADMIN_TOKEN + "' ";
    out.printf("%nAsk the service while the demo runs; either instance answers every key:%n");
    printUrl(out, "jobs, versions, tables", a + "/jobs");
    printUrl(
        out,
        "a node's latest windows",
        a + tables + NetworkUsageJob.USAGE_BY_NODE.name() + "/keys/n-0001/windows");
    printUrl(
        out,
        "an agent, this hour",
        b
            + tables
            + NetworkUsageJob.USAGE_BY_AGENT.name()
            + "/keys/"
            + UsageGenerator.agentId(0)
            + "/windows?from="
            + hour
            + "&to="
            + hour.plus(Duration.ofHours(1)));
    printUrl(
        out,
        "the whole network",
        b
            + tables
            + NetworkUsageJob.USAGE_NETWORK.name()
            + "/keys/"
            + NetworkUsageJob.NETWORK
            + "/windows");
    Instant today = hour.truncatedTo(ChronoUnit.DAYS);
    printUrl(
        out,
        "the network by hour, today",
        a
            + tables
            + NetworkUsageJob.USAGE_NETWORK_HOURS.name()
            + "/keys/"
            + NetworkUsageJob.NETWORK
            + "/windows?from="
            + today
            + "&to="
            + hour);
    printUrl(
        out,
        "the network this month",
        a
            + tables
            + NetworkUsageJob.USAGE_NETWORK_MONTHS.name()
            + "/keys/"
            + NetworkUsageJob.NETWORK
            + "/windows?from="
            + today.atZone(ZoneOffset.UTC).withDayOfMonth(1).toInstant()
            + "&to="
            + hour);
    printUrl(
        out,
        "every agent, both instances",
        a + tables + NetworkUsageJob.USAGE_BY_AGENT.name() + "/windows?limit=20");
    printUrl(
        out,
        "a customer's total",
        a + tables + NetworkUsageJob.USAGE_BY_CUSTOMER.name() + "/keys/c-000123");
    printUrl(
        out,
        "customers, both instances",
        b + tables + NetworkUsageJob.USAGE_BY_CUSTOMER.name() + "/keys?from=c-000100&to=c-000109");
    printUrl(out, "readiness", a + "/health/readiness");
    printUrl(out, "metrics", a + "/prometheus");
    printUrl(out, "the API", a + "/openapi/kappa-0.1.yml");
    printUrl(
        out,
        "v2's replay, once started",
        admin + a + "/admin/jobs/" + NetworkUsageJob.NAME + "/versions/2/progress");
    printUrl(
        out,
        "swap to v2, once caught up",
        admin
            + "-H 'Content-Type: application/json' -d '{\"to\":2}' "
            + a
            + "/admin/jobs/"
            + NetworkUsageJob.NAME
            + "/swap");
  }

  private static void printUrl(PrintStream out, String what, String url) {
    out.printf("  %-28s %s%n", what, url);
  }
}
