package dev.kappa.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kappa.serde.Codec;
import dev.kappa.topology.testing.JobTestDriver;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two-phase aggregation and rollups on the test driver: readings of sensors, keyed by sensor,
 * summed per site and minute in two phases, then rolled up by key to regions and by time to hours,
 * days and months. Every expected total is summed in the test from the readings it sent.
 */
class RollupTest {

  private static final Instant START = Instant.parse("2026-01-31T22:00:00Z");
  private static final TimeWindows MINUTES =
      TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), Duration.ofSeconds(30));

  record Reading(String site, long amount) {}

  private static final Source<String, Reading> READINGS =
      Source.of("readings", Codec.string(), Codec.json(Reading.class));
  private static final ServingTable<String, Long> BY_SITE = table("by-site");
  private static final ServingTable<String, Long> BY_REGION = table("by-region");
  private static final ServingTable<String, Long> BY_REGION_HOUR = table("by-region-hour");
  private static final ServingTable<String, Long> BY_REGION_DAY = table("by-region-day");
  private static final ServingTable<String, Long> BY_REGION_MONTH =
      table("by-region-month").withRetention(Duration.ofDays(62));
  private static final ServingTable<String, Long> BY_SENSOR = table("by-sensor");

  private static final Sink<String, Long> SITE_UPDATES =
      Sink.of("site-updates", Codec.string(), Codec.longs());

  private static final String[] SITES = {"s0", "s1", "s2", "s3", "s4"};

  private JobTestDriver driver;

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  private static ServingTable<String, Long> table(String name) {
    return ServingTable.windowed(name, Codec.string(), Codec.longs())
        .withRetention(Duration.ofDays(3));
  }

  /** Sites s0 and s1 are in region r0, the others in r1. */
  private static String region(String site) {
    return site.compareTo("s2") < 0 ? "r0" : "r1";
  }

  private static KappaJob job() {
    return KappaJob.named("rollups")
        .source(READINGS)
        .servingTable(BY_SITE)
        .servingTable(BY_REGION)
        .servingTable(BY_REGION_HOUR)
        .servingTable(BY_REGION_DAY)
        .servingTable(BY_REGION_MONTH)
        .servingTable(BY_SENSOR)
        .sink(SITE_UPDATES)
        .topology(
            builder -> {
              var readings = builder.stream(READINGS);
              WindowedTable<String, Long> bySite =
                  builder.aggregate(
                      readings,
                      (sensor, reading) -> reading.site(),
                      MINUTES,
                      BY_SITE,
                      () -> 0L,
                      (site, reading, sum) -> sum + reading.amount(),
                      Long::sum);
              builder.to(
                  bySite
                      .updates()
                      .selectKey(
                          (window, sum) -> window.key() + "@" + window.window().startTime(),
                          Named.as("key-site-updates")),
                  SITE_UPDATES);
              WindowedTable<String, Long> byRegion =
                  builder.rollUp(bySite, RollupTest::region, TimeGrid.of(MINUTES), BY_REGION);
              WindowedTable<String, Long> hours =
                  builder.rollUp(byRegion, TimeGrid.of(Duration.ofHours(1)), BY_REGION_HOUR);
              WindowedTable<String, Long> days =
                  builder.rollUp(hours, TimeGrid.of(Duration.ofDays(1)), BY_REGION_DAY);
              builder.rollUp(days, TimeGrid.months(), BY_REGION_MONTH);
              builder.aggregateByKey(
                  readings,
                  MINUTES,
                  BY_SENSOR,
                  () -> 0L,
                  (sensor, reading, sum) -> sum + reading.amount(),
                  Long::sum);
            })
        .build();
  }

  @Test
  void shouldSumEveryLevelAsTheReadingsThemselvesSumUp() {
    driver = JobTestDriver.of(job(), START);
    TestInputTopic<String, Reading> readings = driver.input(READINGS);
    Expected expected = new Expected();
    Random random = new Random(7);
    // Four hours of readings across midnight at the end of January, up to 20 s out of order.
    Instant clock = START;
    for (int i = 0; i < 5_000; i++) {
      clock = clock.plusMillis(random.nextInt(5_760));
      Instant time = clock.minusMillis(random.nextInt(20_000));
      String sensor = "sensor-" + random.nextInt(40);
      Reading reading = new Reading(SITES[random.nextInt(SITES.length)], 1 + random.nextInt(100));
      readings.pipeInput(sensor, reading, time);
      expected.add(sensor, reading, time);
      if (i % 500 == 0) {
        driver.advanceWallClockTime(Duration.ofSeconds(1));
      }
    }
    sendAllPartials();

    assertThat(driver.droppedRecords()).isZero();
    assertThat(windows(BY_SITE)).isEqualTo(expected.bySite);
    Map<String, Long> lastUpdates = new TreeMap<>();
    driver
        .output(SITE_UPDATES)
        .readKeyValuesToList()
        .forEach(update -> lastUpdates.put(update.key, update.value));
    assertThat(lastUpdates).as("the last update of each window").isEqualTo(expected.bySite);
    assertThat(windows(BY_SENSOR)).isEqualTo(expected.bySensor);
    assertThat(windows(BY_REGION)).isEqualTo(expected.byRegion(UnaryOperator.identity()));
    assertThat(windows(BY_REGION_HOUR))
        .isEqualTo(
            expected.byRegion(time -> time.truncatedTo(java.time.temporal.ChronoUnit.HOURS)));
    assertThat(windows(BY_REGION_DAY))
        .isEqualTo(expected.byRegion(time -> time.truncatedTo(java.time.temporal.ChronoUnit.DAYS)));
    assertThat(windows(BY_REGION_MONTH))
        .isEqualTo(
            expected.byRegion(
                time ->
                    time.atZone(java.time.ZoneOffset.UTC)
                        .withDayOfMonth(1)
                        .truncatedTo(java.time.temporal.ChronoUnit.DAYS)
                        .toInstant()));
    assertThat(expected.bySite.keySet().stream().map(key -> key.split("@")[1]).distinct().count())
        .as("the readings span several hours, two days and two months")
        .isGreaterThan(200);
  }

  @Test
  void shouldDropALateReadingAtEveryLevel() {
    driver = JobTestDriver.of(job(), START);
    TestInputTopic<String, Reading> readings = driver.input(READINGS);

    // sensor-1's task reaches 90 s: the window [0, 60) has closed, so its reading at 50 s is late
    readings.pipeInput("sensor-1", new Reading("s0", 1), START.plusSeconds(10));
    readings.pipeInput("sensor-1", new Reading("s2", 10), START.plusSeconds(90));
    readings.pipeInput("sensor-1", new Reading("s0", 100), START.plusSeconds(50));
    sendAllPartials();

    assertThat(driver.droppedRecords()).isEqualTo(2); // by the site table, and by the sensor table
    assertThat(windows(BY_SITE))
        .containsOnly(Map.entry("s0@" + START, 1L), Map.entry("s2@" + START.plusSeconds(60), 10L));
    assertThat(windows(BY_REGION_HOUR))
        .containsOnly(Map.entry("r0@" + START, 1L), Map.entry("r1@" + START, 10L));
  }

  @Test
  void shouldEndAMonthWindowAtTheEndOfItsMonth() {
    driver = JobTestDriver.of(job(), START);
    driver.input(READINGS).pipeInput("sensor-1", new Reading("s0", 5), START);
    sendAllPartials();

    ServedTable served =
        driver.topology().servedTables().stream()
            .filter(table -> table.name().equals(BY_REGION_MONTH.name()))
            .findFirst()
            .orElseThrow();
    Instant january = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(windows(BY_REGION_MONTH)).containsOnly(Map.entry("r0@" + january, 5L));
    assertThat(served.windowEnd(january)).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
    assertThat(served.windowEnd(Instant.parse("2026-02-01T00:00:00Z")))
        .isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
  }

  @Test
  void shouldRefuseARollupIntoWindowsTheFinerOnesDoNotFitInto() {
    KappaJob job =
        KappaJob.named("misfit")
            .source(READINGS)
            .servingTable(BY_SITE)
            .servingTable(BY_REGION_HOUR)
            .topology(
                builder ->
                    builder.rollUp(
                        builder.aggregate(
                            builder.stream(READINGS),
                            (sensor, reading) -> reading.site(),
                            TimeWindows.ofSizeWithNoGrace(Duration.ofMinutes(7)),
                            BY_SITE,
                            () -> 0L,
                            (site, reading, sum) -> sum + reading.amount(),
                            Long::sum),
                        TimeGrid.of(Duration.ofHours(1)),
                        BY_REGION_HOUR))
            .build();

    assertThatThrownBy(job::topology)
        .isInstanceOf(JobDefinitionException.class)
        .hasMessageContaining("windows of PT7M do not fit into windows of PT1H");
  }

  @Test
  void shouldRefuseHoppingWindowsForATwoPhaseAggregation() {
    KappaJob job =
        KappaJob.named("hopping")
            .source(READINGS)
            .servingTable(BY_SITE)
            .topology(
                builder ->
                    builder.aggregate(
                        builder.stream(READINGS),
                        (sensor, reading) -> reading.site(),
                        MINUTES.advanceBy(Duration.ofSeconds(10)),
                        BY_SITE,
                        () -> 0L,
                        (site, reading, sum) -> sum + reading.amount(),
                        Long::sum))
            .build();

    assertThatThrownBy(job::topology)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Only tumbling windows");
  }

  /** Each level takes the partials of the one below at the next send. */
  private void sendAllPartials() {
    for (int level = 0; level < 6; level++) {
      driver.advanceWallClockTime(Duration.ofSeconds(1));
    }
  }

  /** Every window of {@code table}, as {@code <key>@<window start>} to total. */
  private Map<String, Long> windows(ServingTable<String, Long> table) {
    Map<String, Long> windows = new TreeMap<>();
    WindowStore<String, ValueAndTimestamp<Long>> store = driver.windowStore(table);
    try (KeyValueIterator<
            org.apache.kafka.streams.kstream.Windowed<String>, ValueAndTimestamp<Long>>
        all = store.all()) {
      all.forEachRemaining(
          (KeyValue<org.apache.kafka.streams.kstream.Windowed<String>, ValueAndTimestamp<Long>>
                  window) ->
              windows.put(
                  window.key.key() + "@" + window.key.window().startTime(), window.value.value()));
    }
    return windows;
  }

  /** The totals, summed here from the readings sent. */
  private static final class Expected {
    final Map<String, Long> bySite = new TreeMap<>();
    final Map<String, Long> bySensor = new TreeMap<>();
    private final Map<String, Map<Instant, Long>> minutesByRegion = new TreeMap<>();

    void add(String sensor, Reading reading, Instant time) {
      Instant minute = time.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
      bySite.merge(reading.site() + "@" + minute, reading.amount(), Long::sum);
      bySensor.merge(sensor + "@" + minute, reading.amount(), Long::sum);
      minutesByRegion
          .computeIfAbsent(region(reading.site()), region -> new TreeMap<>())
          .merge(minute, reading.amount(), Long::sum);
    }

    /** Region totals in the windows that {@code windowOf} maps a minute to. */
    Map<String, Long> byRegion(UnaryOperator<Instant> windowOf) {
      Map<String, Long> totals = new TreeMap<>();
      minutesByRegion.forEach(
          (region, minutes) ->
              minutes.forEach(
                  (minute, sum) ->
                      totals.merge(region + "@" + windowOf.apply(minute), sum, Long::sum)));
      return totals;
    }
  }
}
