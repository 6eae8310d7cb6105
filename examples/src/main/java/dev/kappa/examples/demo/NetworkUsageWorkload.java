package dev.kappa.examples.demo;

import dev.kappa.examples.networkusage.NetworkUsageJob;
import dev.kappa.examples.networkusage.UsageGenerator;
import dev.kappa.examples.networkusage.UsageGenerator.GeneratedRecord;
import dev.kappa.examples.networkusage.UsageGenerator.Mix;
import dev.kappa.examples.networkusage.UsageGenerator.Shape;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;

/**
 * The network-usage job in the demo: {@link UsageGenerator}'s readings of {@code --customers}
 * devices on {@code --nodes} nodes and {@code --agents} agents ({@link Mix#DEMO}: some out of
 * order, a few malformed, now and then an alarm), and the latest minute of every agent and of the
 * whole network ({@link NetworkUsageTables}).
 */
final class NetworkUsageWorkload implements DemoWorkload {

  private final Shape shape;
  private final UsageGenerator generator;
  private @Nullable NetworkUsageTables tables;

  NetworkUsageWorkload(DemoOptions options) {
    this.shape = options.shape;
    this.generator = new UsageGenerator(options.seed, options.shape, Mix.DEMO);
  }

  @Override
  public String job() {
    return NetworkUsageJob.NAME;
  }

  @Override
  public List<String> sourceTopics() {
    return List.of(NetworkUsageJob.USAGE_EVENTS.topic(), NetworkUsageJob.NODE_ALARMS.topic());
  }

  @Override
  public String describeRate(int rate) {
    return rate + " readings/s of " + shape.customers() + " customers";
  }

  @Override
  public List<ProducerRecord<String, byte[]>> next(Instant clock) {
    return generator.next(clock).stream().map(GeneratedRecord::toProducerRecord).toList();
  }

  @Override
  public void printTables(DemoServices services, PrintStream out, boolean besideV1) {
    if (tables == null) {
      tables = new NetworkUsageTables(services, shape.agents(), out);
    }
    tables.print(besideV1);
  }

  @Override
  public List<DemoUrls.Url> urls(String a, String b) {
    String tables = a + "/jobs/" + NetworkUsageJob.NAME + "/tables/";
    String tablesB = b + "/jobs/" + NetworkUsageJob.NAME + "/tables/";
    Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
    Instant today = hour.truncatedTo(ChronoUnit.DAYS);
    return List.of(
        new DemoUrls.Url(
            "a node's latest windows",
            tables + NetworkUsageJob.USAGE_BY_NODE.name() + "/keys/n-0001/windows"),
        new DemoUrls.Url(
            "an agent, this hour",
            tablesB
                + NetworkUsageJob.USAGE_BY_AGENT.name()
                + "/keys/"
                + UsageGenerator.agentId(0)
                + "/windows?from="
                + hour
                + "&to="
                + hour.plus(Duration.ofHours(1))),
        new DemoUrls.Url(
            "the whole network",
            tablesB
                + NetworkUsageJob.USAGE_NETWORK.name()
                + "/keys/"
                + NetworkUsageJob.NETWORK
                + "/windows"),
        new DemoUrls.Url(
            "the network by hour, today",
            tables
                + NetworkUsageJob.USAGE_NETWORK_HOURS.name()
                + "/keys/"
                + NetworkUsageJob.NETWORK
                + "/windows?from="
                + today
                + "&to="
                + hour),
        new DemoUrls.Url(
            "the network this month",
            tables
                + NetworkUsageJob.USAGE_NETWORK_MONTHS.name()
                + "/keys/"
                + NetworkUsageJob.NETWORK
                + "/windows?from="
                + today.atZone(ZoneOffset.UTC).withDayOfMonth(1).toInstant()
                + "&to="
                + hour),
        new DemoUrls.Url(
            "every agent, both instances",
            tables + NetworkUsageJob.USAGE_BY_AGENT.name() + "/windows?limit=20"),
        new DemoUrls.Url(
            "a customer's total",
            tables + NetworkUsageJob.USAGE_BY_CUSTOMER.name() + "/keys/c-000123"),
        new DemoUrls.Url(
            "customers, both instances",
            tablesB
                + NetworkUsageJob.USAGE_BY_CUSTOMER.name()
                + "/keys?from=c-000100&to=c-000109"));
  }
}
