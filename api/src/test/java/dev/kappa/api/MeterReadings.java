package dev.kappa.api;

import dev.kappa.serde.Codec;
import dev.kappa.topology.JobStreamsBuilder;
import dev.kappa.topology.KappaJob;
import dev.kappa.topology.ServingTable;
import dev.kappa.topology.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * The job the service tests serve: readings of meters, totalled per meter (string keys), per floor
 * (integer keys), per place (JSON record keys) and per site in 1-minute windows. Version 2 changes
 * the logic: it counts only readings of at least {@link #LARGE} bytes, so that a swap changes every
 * answer.
 */
final class MeterReadings {

  static final String JOB = "meters";
  static final long LARGE = 500;

  record Reading(String meter, String site, int floor, long bytes, Instant timestamp) {}

  record Place(String site, int floor) {}

  record Total(long count, long bytes) {
    static final Total NONE = new Total(0, 0);

    Total add(Reading reading) {
      return new Total(count + 1, bytes + reading.bytes());
    }
  }

  static final Source<String, Reading> READINGS =
      Source.of("meter-readings", Codec.string(), Codec.json(Reading.class))
          .withEventTime(Reading::timestamp);
  static final ServingTable<String, Total> BY_METER =
      ServingTable.keyValue("totals-by-meter", Codec.string(), Codec.json(Total.class));
  static final ServingTable<Integer, Total> BY_FLOOR =
      ServingTable.keyValue("totals-by-floor", Codec.integers(), Codec.json(Total.class));
  static final ServingTable<Place, Total> BY_PLACE =
      ServingTable.keyValue("totals-by-place", Codec.json(Place.class), Codec.json(Total.class));
  static final ServingTable<String, Total> BY_SITE =
      ServingTable.windowed("totals-by-site", Codec.string(), Codec.json(Total.class))
          .withRetention(Duration.ofDays(7));

  private MeterReadings() {}

  /** Both versions, as the service finds them. */
  static VersionedJob versions() {
    return VersionedJob.of(Map.of(1, job(0), 2, job(LARGE)));
  }

  static KappaJob job(long minimumBytes) {
    return job(JOB, minimumBytes);
  }

  static KappaJob job(String name, long minimumBytes) {
    return KappaJob.named(name)
        .source(READINGS)
        .servingTable(BY_METER)
        .servingTable(BY_FLOOR)
        .servingTable(BY_PLACE)
        .servingTable(BY_SITE)
        .topology(builder -> define(builder, minimumBytes))
        .build();
  }

  private static void define(JobStreamsBuilder builder, long minimumBytes) {
    Codec<Reading> readingCodec = READINGS.values();
    KStream<String, Reading> readings =
        builder
            .validate(
                "valid-readings",
                builder.stream(READINGS),
                (meter, reading) ->
                    reading.bytes() < 0 ? Optional.of("negative bytes") : Optional.empty())
            // The change of logic between the versions.
            .filter((meter, reading) -> reading.bytes() >= minimumBytes, Named.as("counted"));
    builder.aggregate(
        readings.groupByKey(
            Grouped.with("readings-by-meter", Codec.string().serde(), readingCodec.serde())),
        BY_METER,
        () -> Total.NONE,
        (meter, reading, total) -> total.add(reading));
    // Re-keyed by floor and by place: each is a repartition, so their keys live on other
    // partitions than the meters'.
    builder.aggregate(
        readings.groupBy(
            (meter, reading) -> reading.floor(),
            Grouped.with("readings-by-floor", Codec.integers().serde(), readingCodec.serde())),
        BY_FLOOR,
        () -> Total.NONE,
        (floor, reading, total) -> total.add(reading));
    builder.aggregate(
        readings.groupBy(
            (meter, reading) -> new Place(reading.site(), reading.floor()),
            Grouped.with(
                "readings-by-place", Codec.json(Place.class).serde(), readingCodec.serde())),
        BY_PLACE,
        () -> Total.NONE,
        (place, reading, total) -> total.add(reading));
    builder.aggregate(
        readings.groupBy(
            (meter, reading) -> reading.site(),
            Grouped.with("readings-by-site", Codec.string().serde(), readingCodec.serde())),
        // The readings of a test arrive at once, out of order across the partitions of the
        // repartition topic: a grace of an hour keeps every one of them.
        TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), Duration.ofHours(1)),
        EmitStrategy.onWindowUpdate(),
        BY_SITE,
        () -> Total.NONE,
        (site, reading, total) -> total.add(reading));
  }
}
