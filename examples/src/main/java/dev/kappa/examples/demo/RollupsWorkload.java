package dev.kappa.examples.demo;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.kappa.examples.rollups.Energy;
import dev.kappa.examples.rollups.MeterReading;
import dev.kappa.examples.rollups.RollupsJob;
import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.query.KeyElsewhereException;
import dev.kappa.reprocessing.query.StoreNotReadyException;
import dev.kappa.reprocessing.query.WindowValue;
import dev.kappa.serde.JsonSerde;
import dev.kappa.topology.ServingTable;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;

/**
 * The time-rollups job in the demo: readings of {@value #METERS} smart meters, a few watt-hours
 * each, {@value #CALIBRATION_PERCENT} % of them a technician's calibration pulse of a few kWh, a
 * few malformed. It prints the latest hour and day of the first {@value #SHOWN} meters; after the
 * swap, v2 (which leaves out calibration pulses) beside v1.
 */
final class RollupsWorkload implements DemoWorkload {

  static final int METERS = 1_000;
  static final int CALIBRATION_PERCENT = 1;
  static final double MALFORMED_SHARE = 0.002;
  static final int SHOWN = 4;

  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

  private final SplittableRandom random;
  private final JsonSerde<MeterReading> readings = JsonSerde.of(MeterReading.class);

  RollupsWorkload(DemoOptions options) {
    this.random = new SplittableRandom(options.seed);
  }

  /** The id of meter number {@code meter}: {@code m-0042}. */
  static String meterId(int meter) {
    return String.format("m-%04d", meter);
  }

  @Override
  public String job() {
    return RollupsJob.NAME;
  }

  @Override
  public List<String> sourceTopics() {
    return List.of(RollupsJob.METER_READINGS.topic());
  }

  @Override
  public String describeRate(int rate) {
    return rate + " meter readings/s of " + METERS + " meters";
  }

  @Override
  public List<ProducerRecord<String, byte[]>> next(Instant clock) {
    String meter = meterId(random.nextInt(METERS));
    // Meters send in batches: a reading may arrive a few seconds after it was taken.
    Instant time = clock.minusMillis(random.nextInt(5_000));
    boolean calibration = random.nextInt(100) < CALIBRATION_PERCENT;
    long wattHours = calibration ? 2_000 + random.nextInt(3_000) : 1 + random.nextInt(20);
    MeterReading reading = new MeterReading(meter, wattHours, calibration, time);
    if (random.nextDouble() < MALFORMED_SHARE) {
      byte[] value =
          switch (random.nextInt(4)) {
            case 0 -> ("{\"meterId\":\"" + meter + "\",\"wattHours\":").getBytes(UTF_8);
            case 1 -> readings.serialize("", new MeterReading(meter, -wattHours, false, time));
            case 2 -> readings.serialize("", new MeterReading(meter, null, false, time));
            default -> readings.serialize("", new MeterReading("m-9999", wattHours, false, time));
          };
      return List.of(record(meter, value, clock));
    }
    return List.of(record(meter, readings.serialize("", reading), time));
  }

  private static ProducerRecord<String, byte[]> record(String key, byte[] value, Instant time) {
    return new ProducerRecord<>(
        RollupsJob.METER_READINGS.topic(), null, time.toEpochMilli(), key, value);
  }

  @Override
  public void printTables(DemoServices services, PrintStream out, boolean besideV1) {
    Instant now = Instant.now();
    Instant hour = now.truncatedTo(ChronoUnit.HOURS);
    Instant day = now.truncatedTo(ChronoUnit.DAYS);
    @Nullable JobVersion answeredBy = null;
    StringBuilder rows = new StringBuilder();
    try {
      for (int meter = 0; meter < SHOWN; meter++) {
        String id = meterId(meter);
        Shown inHour = latest(services, RollupsJob.ENERGY_BY_HOUR, id, hour, null);
        Shown inDay = latest(services, RollupsJob.ENERGY_BY_DAY, id, day, null);
        answeredBy = inHour.version;
        rows.append(
            String.format(
                "%-7s %s %-10s %s", id, kwh(inHour.energy), DAY.format(day), kwh(inDay.energy)));
        if (besideV1) {
          rows.append(
              String.format(
                  "   v1: %s %s",
                  kwh(latest(services, RollupsJob.ENERGY_BY_HOUR, id, hour, 1).energy),
                  kwh(latest(services, RollupsJob.ENERGY_BY_DAY, id, day, 1).energy)));
        }
        rows.append(System.lineSeparator());
      }
    } catch (StoreNotReadyException | KeyElsewhereException e) {
      out.println("no answers yet: " + e.getMessage());
      return;
    }
    out.printf(
        "energy of the hour from %s UTC and of the day, from %s%s%n",
        HOUR.format(hour), answeredBy, besideV1 ? ", beside v1's until it is retired" : "");
    out.printf(
        "%-7s %10s %8s %-10s %10s %8s%n",
        "meter", "hour kWh", "readings", "day", "kWh", "readings");
    out.print(rows);
  }

  /**
   * What a meter's window from {@code start} holds, in the active version or in {@code version}.
   */
  private static Shown latest(
      DemoServices services,
      ServingTable<String, Energy> table,
      String meter,
      Instant start,
      @Nullable Integer version) {
    try {
      var answer =
          services.query(
              queries -> {
                var view = queries.table(RollupsJob.NAME, table);
                return (version == null ? view : view.inVersion(version))
                    .windows(meter, start, start);
              });
      List<WindowValue<Energy>> windows = answer.value();
      return new Shown(answer.version(), windows.isEmpty() ? null : windows.get(0).value());
    } catch (StoreNotReadyException | KeyElsewhereException e) {
      if (version == null) {
        throw e;
      }
      // v1 is stopping, or moving between the instances: its column stays empty.
      return new Shown(null, null);
    }
  }

  private record Shown(@Nullable JobVersion version, @Nullable Energy energy) {}

  private static String kwh(@Nullable Energy energy) {
    return energy == null
        ? String.format("%10s %8s", "-", "-")
        : String.format("%10.3f %8d", energy.wattHours() / 1000.0, energy.readings());
  }

  @Override
  public List<DemoUrls.Url> urls(String a, String b) {
    String tables = "/jobs/" + RollupsJob.NAME + "/tables/";
    Instant now = Instant.now();
    Instant day = now.truncatedTo(ChronoUnit.DAYS);
    return List.of(
        new DemoUrls.Url(
            "a meter's minutes, this hour",
            a
                + tables
                + RollupsJob.ENERGY_BY_MINUTE.name()
                + "/keys/m-0000/windows?from="
                + now.truncatedTo(ChronoUnit.HOURS)
                + "&to="
                + now.truncatedTo(ChronoUnit.MINUTES)),
        new DemoUrls.Url(
            "its hours, today",
            b
                + tables
                + RollupsJob.ENERGY_BY_HOUR.name()
                + "/keys/m-0000/windows?from="
                + day
                + "&to="
                + now.truncatedTo(ChronoUnit.HOURS)),
        new DemoUrls.Url(
            "its days, this month",
            a
                + tables
                + RollupsJob.ENERGY_BY_DAY.name()
                + "/keys/m-0000/windows?from="
                + day.atZone(ZoneOffset.UTC).withDayOfMonth(1).toInstant()
                + "&to="
                + day),
        new DemoUrls.Url(
            "its month", a + tables + RollupsJob.ENERGY_BY_MONTH.name() + "/keys/m-0000/windows"),
        new DemoUrls.Url(
            "every meter's hours",
            b + tables + RollupsJob.ENERGY_BY_HOUR.name() + "/windows?limit=20"));
  }
}
