package dev.kappa.reprocessing;

import dev.kappa.serde.Codec;
import dev.kappa.topology.JobStreamsBuilder;
import dev.kappa.topology.KappaJob;
import dev.kappa.topology.ServingTable;
import dev.kappa.topology.Sink;
import dev.kappa.topology.Source;
import dev.kappa.topology.TimeGrid;
import dev.kappa.topology.WindowedTable;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * The job the reprocessing tests run: readings of sensors, keyed by sensor, totalled per site in
 * 1-minute windows (a repartition by site) and per sensor; large readings go to an output topic.
 * The site totals are also aggregated in two phases, and rolled up into hours and into one total of
 * all sites. Version 2 of the loop changes the logic: it counts only readings of at least {@link
 * #LARGE} bytes.
 */
final class SiteReadings {

  static final long LARGE = 500;
  static final TimeWindows MINUTES =
      TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), Duration.ofSeconds(30));

  record Reading(String sensor, String site, long bytes, Instant timestamp) {}

  record Total(long count, long bytes) {
    static final Total NONE = new Total(0, 0);

    Total add(Reading reading) {
      return new Total(count + 1, bytes + reading.bytes());
    }

    Total plus(Total other) {
      return new Total(count + other.count, bytes + other.bytes);
    }
  }

  static final Source<String, Reading> READINGS =
      Source.of("readings", Codec.string(), Codec.json(Reading.class))
          .withEventTime(Reading::timestamp);
  static final ServingTable<String, Total> BY_SITE =
      ServingTable.windowed("totals-by-site", Codec.string(), Codec.json(Total.class))
          .withRetention(Duration.ofDays(7));

  /** {@link #BY_SITE} again, aggregated in two phases: partials cross the repartition topic. */
  static final ServingTable<String, Total> SITE_MINUTES = siteTable("site-minutes");

  /** {@link #SITE_MINUTES} rolled up by time, into hours. */
  static final ServingTable<String, Total> SITE_HOURS = siteTable("site-hours");

  /** {@link #SITE_MINUTES} rolled up by key: every site's minute under the one key {@link #ALL}. */
  static final ServingTable<String, Total> ALL_SITES = siteTable("all-sites");

  /** The key of {@link #ALL_SITES}. */
  static final String ALL = "all";

  static final ServingTable<String, Total> BY_SENSOR =
      ServingTable.keyValue("totals-by-sensor", Codec.string(), Codec.json(Total.class));
  static final Sink<String, Reading> ALERTS =
      Sink.of("alerts", Codec.string(), Codec.json(Reading.class));

  private SiteReadings() {}

  private static ServingTable<String, Total> siteTable(String name) {
    return ServingTable.windowed(name, Codec.string(), Codec.json(Total.class))
        .withRetention(Duration.ofDays(7));
  }

  /** Counts every reading. */
  static KappaJob all(String name) {
    return job(name, 0);
  }

  /** Counts readings of at least {@link #LARGE} bytes. */
  static KappaJob large(String name) {
    return job(name, LARGE);
  }

  private static KappaJob job(String name, long minimumBytes) {
    return KappaJob.named(name)
        .source(READINGS)
        .servingTable(BY_SITE)
        .servingTable(SITE_MINUTES)
        .servingTable(SITE_HOURS)
        .servingTable(ALL_SITES)
        .servingTable(BY_SENSOR)
        .sink(ALERTS)
        .topology(builder -> define(builder, minimumBytes))
        .build();
  }

  private static void define(JobStreamsBuilder builder, long minimumBytes) {
    Codec<String> ids = Codec.string();
    KStream<String, Reading> readings =
        builder
            .validate(
                "valid-readings",
                builder.stream(READINGS),
                (sensor, reading) ->
                    reading.bytes() < 0 ? Optional.of("negative bytes") : Optional.empty())
            // The change of logic between the versions of the loop.
            .filter((sensor, reading) -> reading.bytes() >= minimumBytes, Named.as("counted"));
    builder.aggregate(
        readings.groupBy(
            (sensor, reading) -> reading.site(),
            Grouped.with("readings-by-site", ids.serde(), READINGS.values().serde())),
        MINUTES,
        EmitStrategy.onWindowUpdate(),
        BY_SITE,
        () -> Total.NONE,
        (site, reading, total) -> total.add(reading));
    WindowedTable<String, Total> siteMinutes =
        builder.aggregate(
            readings,
            (sensor, reading) -> reading.site(),
            MINUTES,
            SITE_MINUTES,
            () -> Total.NONE,
            (site, reading, total) -> total.add(reading),
            Total::plus);
    builder.rollUp(siteMinutes, TimeGrid.of(Duration.ofHours(1)), SITE_HOURS);
    builder.rollUp(siteMinutes, site -> ALL, TimeGrid.of(MINUTES), ALL_SITES);
    builder.aggregate(
        readings.groupByKey(
            Grouped.with("readings-by-sensor", ids.serde(), READINGS.values().serde())),
        BY_SENSOR,
        () -> Total.NONE,
        (sensor, reading, total) -> total.add(reading));
    builder.to(
        readings.filter((sensor, reading) -> reading.bytes() >= 900, Named.as("large-readings")),
        ALERTS);
  }
}
