package dev.kappa.examples.rollups;

import dev.kappa.serde.Codec;
import dev.kappa.topology.JobStreamsBuilder;
import dev.kappa.topology.KappaJob;
import dev.kappa.topology.ServingTable;
import dev.kappa.topology.Source;
import dev.kappa.topology.TimeGrid;
import dev.kappa.topology.WindowedTable;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * The time-rollups job: the energy each smart meter uses, per minute, rolled up to hours, days and
 * calendar months, each level a serving table built from the level below.
 *
 * <ul>
 *   <li>Readings ({@link #METER_READINGS}, keyed by meter) with a missing meter, energy or time, a
 *       negative energy, or a key that is not their meter go to the dead-letter topic {@code
 *       time-rollups-v<n>-dead-letters} with the reason.
 *   <li>{@link #ENERGY_BY_MINUTE}: per meter, the sum, count and largest of its readings in
 *       tumbling 1-minute windows; a reading up to 1 minute late still counts, a later one is
 *       dropped and counted in Kafka Streams' {@code dropped-records}.
 *   <li>{@link #ENERGY_BY_HOUR}, {@link #ENERGY_BY_DAY} and {@link #ENERGY_BY_MONTH} (calendar
 *       months, UTC): rolled up from the level below, never from the readings, and no reading is
 *       late there.
 *   <li>Each level keeps its windows for as long as they are worth asking for: minutes for 2 days,
 *       hours for 35 days, days for 400 days, months for 10 years. A windowed serving table answers
 *       {@code GET /jobs/time-rollups/tables/energy-by-day/keys/m-0042/windows?from=..&to=..} for a
 *       time range (see the README's "The API").
 * </ul>
 *
 * <p>Two versions share the name, source and tables: {@link #v1()} counts every reading; {@link
 * #v2()} leaves out the calibration readings that technicians' test pulses produce.
 *
 * <p>{@code RollupsJobTest} shows every level for a hand-made input that crosses a month boundary;
 * run the service jar with it on the class path ({@link RollupsVersions}) to query it over HTTP.
 */
public final class RollupsJob {

  /** The job's name, the same in every version. */
  public static final String NAME = "time-rollups";

  /** What the job reads: meter readings keyed by meter, timed by when they were taken. */
  public static final Source<String, MeterReading> METER_READINGS =
      Source.of("meter-readings", Codec.string(), Codec.json(MeterReading.class))
          .withEventTime(MeterReading::timestamp);

  /** Per meter and minute; fine-grained and short-lived. */
  public static final ServingTable<String, Energy> ENERGY_BY_MINUTE =
      energyTable("energy-by-minute", Duration.ofDays(2));

  /** Per meter and hour, rolled up from the minutes. */
  public static final ServingTable<String, Energy> ENERGY_BY_HOUR =
      energyTable("energy-by-hour", Duration.ofDays(35));

  /** Per meter and day (UTC), rolled up from the hours. */
  public static final ServingTable<String, Energy> ENERGY_BY_DAY =
      energyTable("energy-by-day", Duration.ofDays(400));

  /** Per meter and calendar month (UTC), rolled up from the days. */
  public static final ServingTable<String, Energy> ENERGY_BY_MONTH =
      energyTable("energy-by-month", Duration.ofDays(3_653));

  /** Tumbling 1-minute windows; a reading up to a minute late still counts. */
  public static final TimeWindows MINUTES =
      TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), Duration.ofMinutes(1));

  private RollupsJob() {}

  /** Version 1: every valid reading counts. */
  public static KappaJob v1() {
    return job(readings -> readings);
  }

  /**
   * Version 2, the change of logic: calibration readings are a technician's test pulses, not a
   * customer's use, so they are left out of every level, and of its largest reading too.
   */
  public static KappaJob v2() {
    return job(
        readings ->
            readings.filterNot(
                (meter, reading) -> reading.isCalibration(), Named.as("customer-readings")));
  }

  private static KappaJob job(UnaryOperator<KStream<String, MeterReading>> counted) {
    return KappaJob.named(NAME)
        .source(METER_READINGS)
        .servingTable(ENERGY_BY_MINUTE)
        .servingTable(ENERGY_BY_HOUR)
        .servingTable(ENERGY_BY_DAY)
        .servingTable(ENERGY_BY_MONTH)
        .topology(builder -> define(builder, counted))
        .build();
  }

  private static void define(
      JobStreamsBuilder builder, UnaryOperator<KStream<String, MeterReading>> counted) {
    // Bad readings leave here for the dead-letter topic, with the reason. Checking that the key is
    // the meter keeps the stream partitioned by meter, which the minutes rely on.
    KStream<String, MeterReading> readings =
        counted.apply(
            builder.validate(
                "valid-readings", builder.stream(METER_READINGS), RollupsJob::problem));

    // tag::rollups[]
    // The source is keyed by meter already: each task adds up its own meters' minutes, with no
    // repartition, and writes each minute to the store once a second, not once per reading.
    WindowedTable<String, Energy> minutes =
        builder.aggregateByKey(
            readings,
            MINUTES,
            ENERGY_BY_MINUTE,
            () -> Energy.NONE,
            (meter, reading, energy) -> energy.add(reading),
            Energy::plus);
    // Each level adds up the windows of the level below, meter by meter, in the same task: a
    // minute's late reading, within its grace, reaches the hour, the day and the month with it.
    WindowedTable<String, Energy> hours =
        builder.rollUp(minutes, TimeGrid.of(Duration.ofHours(1)), ENERGY_BY_HOUR);
    WindowedTable<String, Energy> days =
        builder.rollUp(hours, TimeGrid.of(Duration.ofDays(1)), ENERGY_BY_DAY);
    builder.rollUp(days, TimeGrid.months(), ENERGY_BY_MONTH);
    // end::rollups[]
  }

  /** Why a reading is invalid, or empty if it is valid. */
  public static Optional<String> problem(String meter, MeterReading reading) {
    if (reading.meterId() == null || reading.meterId().isBlank()) {
      return Optional.of("meterId is missing");
    }
    if (!reading.meterId().equals(meter)) {
      return Optional.of(
          "the key '" + meter + "' is not the reading's meterId '" + reading.meterId() + "'");
    }
    if (reading.wattHours() == null) {
      return Optional.of("wattHours is missing");
    }
    if (reading.wattHours() < 0) {
      return Optional.of("wattHours must not be negative, was " + reading.wattHours());
    }
    if (reading.timestamp() == null) {
      return Optional.of("timestamp is missing");
    }
    return Optional.empty();
  }

  private static ServingTable<String, Energy> energyTable(String name, Duration retention) {
    return ServingTable.windowed(name, Codec.string(), Codec.json(Energy.class))
        .withRetention(retention);
  }
}
