package dev.kappa.examples.demo;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.kappa.examples.incidents.EmergencyCall;
import dev.kappa.examples.incidents.Incident;
import dev.kappa.examples.incidents.IncidentsJob;
import dev.kappa.examples.incidents.WindReading;
import dev.kappa.reprocessing.query.Answer;
import dev.kappa.reprocessing.query.StoreNotReadyException;
import dev.kappa.serde.JsonSerde;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KeyValue;

/**
 * The incidents job in the demo: wind readings of {@value #SITES} weather stations in {@link
 * #AREAS}, and emergency calls. A storm moves to the next area every {@value #STORM_MINUTES}
 * minutes: there {@value #GUST_PERCENT} % of readings are gusts from a strong gale to a storm, and
 * most calls come from there. A few readings and calls are malformed. It prints the incidents so
 * far and the latest ones; after the swap, v2 (storms only) beside v1.
 */
final class IncidentsWorkload implements DemoWorkload {

  static final List<String> AREAS =
      List.of("north", "harbour", "old-town", "airport", "hills", "coast", "forest", "valley");
  static final int SITES = 200;
  static final int STORM_MINUTES = 2;
  static final int GUST_PERCENT = 3;

  /** About one emergency call every 2 seconds, whatever the rate of readings. */
  static final double CALLS_PER_SECOND = 0.5;

  static final double MALFORMED_SHARE = 0.002;

  private static final int SHOWN = 3;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  private final SplittableRandom random;
  private final JsonSerde<WindReading> winds = JsonSerde.of(WindReading.class);
  private final JsonSerde<EmergencyCall> calls = JsonSerde.of(EmergencyCall.class);
  private final double callShare;
  private long nextCall;

  IncidentsWorkload(DemoOptions options) {
    this.random = new SplittableRandom(options.seed);
    this.callShare = Math.min(0.5, CALLS_PER_SECOND / options.rate);
  }

  /** The area of the storm at {@code clock}. */
  static String stormArea(Instant clock) {
    return AREAS.get((int) (clock.getEpochSecond() / 60 / STORM_MINUTES % AREAS.size()));
  }

  /** The area of site number {@code site}: the sites are spread evenly over the areas. */
  static String areaOf(int site) {
    return AREAS.get(site % AREAS.size());
  }

  @Override
  public String job() {
    return IncidentsJob.NAME;
  }

  @Override
  public List<String> sourceTopics() {
    return List.of(IncidentsJob.WIND_READINGS.topic(), IncidentsJob.EMERGENCY_CALLS.topic());
  }

  @Override
  public String describeRate(int rate) {
    return rate
        + " wind readings/s of "
        + SITES
        + " sites and about "
        + CALLS_PER_SECOND
        + " emergency calls/s; the storm moves every "
        + STORM_MINUTES
        + " minutes";
  }

  @Override
  public List<ProducerRecord<String, byte[]>> next(Instant clock) {
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>(2);
    String storm = stormArea(clock);
    int site = random.nextInt(SITES);
    String siteId = String.format("s-%03d", site);
    String area = areaOf(site);
    // The stations' feed lags a little; calls come from another system, out of order with it.
    Instant windTime = clock.minusMillis(random.nextInt(3_000));
    double speed =
        !area.equals(storm)
            ? random.nextDouble(0, 12)
            : random.nextInt(100) < GUST_PERCENT
                ? random.nextDouble(IncidentsJob.STRONG_GALE, 28.5)
                : random.nextDouble(8, IncidentsJob.STRONG_GALE);
    WindReading wind = new WindReading(siteId, area, Math.round(speed * 10) / 10.0, windTime);
    if (random.nextDouble() < MALFORMED_SHARE) {
      byte[] value =
          random.nextBoolean()
              ? ("{\"siteId\":\"" + siteId + "\",\"area\":").getBytes(UTF_8)
              : winds.serialize("", new WindReading(siteId, area, -speed, windTime));
      records.add(record(IncidentsJob.WIND_READINGS.topic(), siteId, value, clock));
    } else {
      records.add(
          record(IncidentsJob.WIND_READINGS.topic(), siteId, winds.serialize("", wind), windTime));
    }
    if (random.nextDouble() < callShare) {
      String callId = String.format("call-%06d", nextCall++);
      // Most calls come from where the storm is; a few from anywhere.
      String callArea = random.nextInt(10) < 8 ? storm : AREAS.get(random.nextInt(AREAS.size()));
      Instant callTime = clock.minusMillis(random.nextInt(10_000));
      EmergencyCall call =
          random.nextInt(50) == 0
              ? new EmergencyCall(callId, null, callTime)
              : new EmergencyCall(callId, callArea, callTime);
      records.add(
          record(
              IncidentsJob.EMERGENCY_CALLS.topic(), callId, calls.serialize("", call), callTime));
    }
    return records;
  }

  private static ProducerRecord<String, byte[]> record(
      String topic, String key, byte[] value, Instant time) {
    return new ProducerRecord<>(topic, null, time.toEpochMilli(), key, value);
  }

  @Override
  public void printTables(DemoServices services, PrintStream out, boolean besideV1) {
    Answer<List<KeyValue<String, Incident>>> incidents;
    try {
      incidents =
          services.range(
              IncidentsJob.NAME, IncidentsJob.INCIDENTS, null, null, OptionalInt.empty());
    } catch (StoreNotReadyException e) {
      out.println("no answers yet: " + e.getMessage());
      return;
    }
    String inV1 = "";
    if (besideV1) {
      try {
        inV1 =
            String.format(
                " (v1: %,d)",
                services
                    .range(IncidentsJob.NAME, IncidentsJob.INCIDENTS, null, null, OptionalInt.of(1))
                    .value()
                    .size());
      } catch (StoreNotReadyException e) {
        // v1 is stopping, or moving between the instances: its count stays out.
      }
    }
    out.printf(
        "%,d incidents so far%s, from %s; the storm is over %s; the latest:%n",
        incidents.value().size(), inV1, incidents.version(), stormArea(Instant.now()));
    incidents.value().stream()
        .map(row -> row.value)
        .sorted(Comparator.comparing(Incident::windTime).reversed())
        .limit(SHOWN)
        .forEach(
            incident ->
                out.printf(
                    "  %-8s %-9s %s %4.1f m/s, %d call%s%n",
                    incident.siteId(),
                    incident.area(),
                    TIME.format(incident.windTime()),
                    incident.metresPerSecond(),
                    incident.callIds().size(),
                    incident.callIds().size() == 1 ? "" : "s"));
  }

  @Override
  public List<DemoUrls.Url> urls(String a, String b) {
    String tables = "/jobs/" + IncidentsJob.NAME + "/tables/";
    return List.of(
        new DemoUrls.Url(
            "incidents, both instances",
            a + tables + IncidentsJob.INCIDENTS.name() + "/keys?limit=20"),
        new DemoUrls.Url(
            "a site's incidents",
            b + tables + IncidentsJob.INCIDENTS.name() + "/keys?from=s-000&to=s-001"));
  }
}
