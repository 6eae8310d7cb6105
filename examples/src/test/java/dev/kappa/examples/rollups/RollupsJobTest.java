package dev.kappa.examples.rollups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kappa.topology.JobTopology;
import dev.kappa.topology.ServedTable;
import dev.kappa.topology.ServingTable;
import dev.kappa.topology.deadletter.DeadLetter;
import dev.kappa.topology.testing.JobTestDriver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The time-rollups job on hand-made readings of meters m-1 and m-2, around the end of January 2026.
 */
class RollupsJobTest {

  private static final Instant START = Instant.parse("2026-01-31T22:00:00Z");
  private static final Instant FEBRUARY = Instant.parse("2026-02-01T00:00:00Z");

  private JobTestDriver driver;
  private TestInputTopic<String, MeterReading> readings;

  @BeforeEach
  void start() {
    driver = JobTestDriver.of(RollupsJob.v1(), START);
    readings = driver.input(RollupsJob.METER_READINGS);
  }

  @AfterEach
  void close() {
    driver.close();
  }

  @Test
  void shouldSumEachLevelFromTheLevelBelowAcrossAMonthBoundary() {
    //        January 31                                          | February 1
    // minute 22:30  23:58        23:59             (m-2) 23:58   | 00:00   00:01
    // m-1    200    100, 50      20, 5 (arrives     7            | 30      3
    //                            after 00:00:05: within its 1 min grace)
    pipeMonthBoundary(readings);

    assertThat(windows(driver, RollupsJob.ENERGY_BY_MINUTE, "m-1", START, FEBRUARY.plusSeconds(60)))
        .containsExactly(
            window("2026-01-31T22:30:00Z", 200, 1, 200),
            window("2026-01-31T23:58:00Z", 150, 2, 100),
            window("2026-01-31T23:59:00Z", 25, 2, 20),
            window("2026-02-01T00:00:00Z", 30, 1, 30),
            window("2026-02-01T00:01:00Z", 3, 1, 3));
    assertThat(windows(driver, RollupsJob.ENERGY_BY_HOUR, "m-1", START, FEBRUARY))
        .containsExactly(
            window("2026-01-31T22:00:00Z", 200, 1, 200),
            window("2026-01-31T23:00:00Z", 175, 4, 100),
            window("2026-02-01T00:00:00Z", 33, 2, 30));
    assertThat(
            windows(
                driver, RollupsJob.ENERGY_BY_DAY, "m-1", START.minus(Duration.ofDays(1)), FEBRUARY))
        .containsExactly(
            window("2026-01-31T00:00:00Z", 375, 5, 200), window("2026-02-01T00:00:00Z", 33, 2, 30));
    assertThat(
            windows(
                driver,
                RollupsJob.ENERGY_BY_MONTH,
                "m-1",
                Instant.parse("2026-01-01T00:00:00Z"),
                FEBRUARY))
        .containsExactly(
            window("2026-01-01T00:00:00Z", 375, 5, 200), window("2026-02-01T00:00:00Z", 33, 2, 30));
    // Each meter is its own key at every level.
    assertThat(
            windows(
                driver,
                RollupsJob.ENERGY_BY_MONTH,
                "m-2",
                Instant.parse("2026-01-01T00:00:00Z"),
                FEBRUARY))
        .containsExactly(window("2026-01-01T00:00:00Z", 7, 1, 7));
    assertThat(driver.deadLetters()).isEmpty();
    assertThat(driver.droppedRecords()).isZero();
  }

  @Test
  void shouldDropAReadingBeyondTheGraceOfItsMinuteAtEveryLevelAndCountIt() {
    read(readings, "m-1", 100, "2026-01-31T23:00:10Z");
    read(readings, "m-1", 1, "2026-01-31T23:02:00Z");
    // minute 23:00-23:01 closed at 23:02 (1 minute of grace): 23:00:50 is too late for it, and so
    // for the hour, day and month, which only add up minutes
    read(readings, "m-1", 50, "2026-01-31T23:00:50Z");

    assertThat(windows(driver, RollupsJob.ENERGY_BY_MINUTE, "m-1", START, FEBRUARY))
        .containsExactly(
            window("2026-01-31T23:00:00Z", 100, 1, 100), window("2026-01-31T23:02:00Z", 1, 1, 1));
    assertThat(
            windows(
                driver,
                RollupsJob.ENERGY_BY_MONTH,
                "m-1",
                START.minus(Duration.ofDays(31)),
                FEBRUARY))
        .containsExactly(window("2026-01-01T00:00:00Z", 101, 2, 100));
    assertThat(driver.droppedRecords()).isEqualTo(1);
    assertThat(driver.deadLetterCount()).isZero();
  }

  @Test
  void shouldKeepEachLevelForItsOwnRetention() {
    JobTopology topology = RollupsJob.v1().topology();

    assertThat(topology.servedTables())
        .extracting(ServedTable::name, ServedTable::retention)
        .containsExactly(
            tuple("energy-by-minute", Duration.ofDays(2)),
            tuple("energy-by-hour", Duration.ofDays(35)),
            tuple("energy-by-day", Duration.ofDays(400)),
            tuple("energy-by-month", Duration.ofDays(3_653)));
    // The broker deletes from each level's changelog by the same retention (plus Kafka Streams'
    // margin), so a restored store holds what the running one held.
    assertThat(topology.windowedChangelogs())
        .containsEntry("time-rollups-energy-by-minute-changelog", Duration.ofDays(2))
        .containsEntry("time-rollups-energy-by-month-changelog", Duration.ofDays(3_653));
  }

  @Test
  void shouldServeTheMonthsOfAMeterOverMoreThanAYear() {
    Instant first = Instant.parse("2025-01-01T00:00:00Z");
    read(readings, "m-1", 10, "2025-01-01T00:00:10Z");
    read(readings, "m-1", 20, "2025-01-05T00:00:00Z");
    read(readings, "m-1", 30, "2025-03-01T00:00:00Z");
    read(readings, "m-1", 40, "2026-03-01T00:00:00Z");

    // A year and two months on, the month still has the first reading (with the one of 5 January).
    // (That the finer levels have let it go is not asserted: a store's record cache may still
    // answer for a window that its segments have dropped, until the cache evicts it.)
    assertThat(
            windows(
                driver,
                RollupsJob.ENERGY_BY_MONTH,
                "m-1",
                first,
                Instant.parse("2026-03-01T00:00:00Z")))
        .containsExactly(
            window("2025-01-01T00:00:00Z", 30, 2, 20),
            window("2025-03-01T00:00:00Z", 30, 1, 30),
            window("2026-03-01T00:00:00Z", 40, 1, 40));
    assertThat(driver.droppedRecords()).isZero();
  }

  @Test
  void shouldSendInvalidReadingsToTheDeadLetterTopicWithTheReason() {
    Instant time = Instant.parse("2026-01-31T23:00:00Z");
    readings.pipeInput("m-1", new MeterReading("m-1", -5L, false, time), time);
    readings.pipeInput("m-1", new MeterReading("m-2", 5L, false, time), time);
    readings.pipeInput("m-1", new MeterReading("m-1", null, false, time), time);
    readings.pipeInput("m-1", new MeterReading(" ", 5L, false, time), time);
    read(readings, "m-1", 42, "2026-01-31T23:00:00Z");

    assertThat(driver.deadLetters())
        .extracting(DeadLetter::message)
        .containsExactly(
            "Record rejected by 'valid-readings': wattHours must not be negative, was -5",
            "Record rejected by 'valid-readings': the key 'm-1' is not the reading's meterId 'm-2'",
            "Record rejected by 'valid-readings': wattHours is missing",
            "Record rejected by 'valid-readings': meterId is missing");
    assertThat(windows(driver, RollupsJob.ENERGY_BY_HOUR, "m-1", START, FEBRUARY))
        .containsExactly(window("2026-01-31T23:00:00Z", 42, 1, 42));
  }

  @Test
  void shouldLeaveCalibrationReadingsOutOfEveryLevelInV2() {
    // The month-boundary input, with two calibration pulses: 500 at 23:58:30 and 900 at 00:00:30.
    Consumer<TestInputTopic<String, MeterReading>> feed =
        input -> {
          read(input, "m-1", 200, "2026-01-31T22:30:00Z");
          read(input, "m-1", 100, "2026-01-31T23:58:10Z");
          read(input, "m-2", 7, "2026-01-31T23:58:20Z");
          calibrate(input, "m-1", 500, "2026-01-31T23:58:30Z");
          read(input, "m-1", 50, "2026-01-31T23:58:50Z");
          read(input, "m-1", 20, "2026-01-31T23:59:30Z");
          read(input, "m-1", 30, "2026-02-01T00:00:05Z");
          read(input, "m-1", 5, "2026-01-31T23:59:50Z");
          calibrate(input, "m-1", 900, "2026-02-01T00:00:30Z");
          read(input, "m-1", 3, "2026-02-01T00:01:00Z");
        };
    try (JobTestDriver v2 = JobTestDriver.of(RollupsJob.v2(), START)) {
      feed.accept(readings);
      feed.accept(v2.input(RollupsJob.METER_READINGS));

      // v1 counts the pulses, and the largest reading of the month is one of them
      assertThat(windows(driver, RollupsJob.ENERGY_BY_HOUR, "m-1", START, FEBRUARY))
          .containsExactly(
              window("2026-01-31T22:00:00Z", 200, 1, 200),
              window("2026-01-31T23:00:00Z", 675, 5, 500),
              window("2026-02-01T00:00:00Z", 933, 3, 900));
      assertThat(monthsOf(driver))
          .containsExactly(
              window("2026-01-01T00:00:00Z", 875, 6, 500),
              window("2026-02-01T00:00:00Z", 933, 3, 900));
      // v2 counts what the customer used: the same as without the pulses
      assertThat(windows(v2, RollupsJob.ENERGY_BY_MINUTE, "m-1", START, FEBRUARY))
          .containsExactly(
              window("2026-01-31T22:30:00Z", 200, 1, 200),
              window("2026-01-31T23:58:00Z", 150, 2, 100),
              window("2026-01-31T23:59:00Z", 25, 2, 20),
              window("2026-02-01T00:00:00Z", 30, 1, 30));
      assertThat(windows(v2, RollupsJob.ENERGY_BY_HOUR, "m-1", START, FEBRUARY))
          .containsExactly(
              window("2026-01-31T22:00:00Z", 200, 1, 200),
              window("2026-01-31T23:00:00Z", 175, 4, 100),
              window("2026-02-01T00:00:00Z", 33, 2, 30));
      assertThat(
              windows(
                  v2, RollupsJob.ENERGY_BY_DAY, "m-1", START.minus(Duration.ofDays(1)), FEBRUARY))
          .containsExactly(
              window("2026-01-31T00:00:00Z", 375, 5, 200),
              window("2026-02-01T00:00:00Z", 33, 2, 30));
      assertThat(monthsOf(v2))
          .containsExactly(
              window("2026-01-01T00:00:00Z", 375, 5, 200),
              window("2026-02-01T00:00:00Z", 33, 2, 30));
      assertThat(v2.deadLetters()).isEmpty();
      assertThat(v2.droppedRecords()).isZero();
    }
  }

  @Test
  void shouldBuildBothVersionsUnderTheSameJobAndTableNames() {
    assertThat(RollupsJob.v2().name()).isEqualTo(RollupsJob.v1().name());
    assertThat(RollupsJob.v2().servingTables())
        .containsExactlyElementsOf(RollupsJob.v1().servingTables());
  }

  /** The readings drawn in {@link #shouldSumEachLevelFromTheLevelBelowAcrossAMonthBoundary}. */
  private static void pipeMonthBoundary(TestInputTopic<String, MeterReading> input) {
    read(input, "m-1", 200, "2026-01-31T22:30:00Z");
    read(input, "m-1", 100, "2026-01-31T23:58:10Z");
    read(input, "m-2", 7, "2026-01-31T23:58:20Z");
    read(input, "m-1", 50, "2026-01-31T23:58:50Z");
    read(input, "m-1", 20, "2026-01-31T23:59:30Z");
    read(input, "m-1", 30, "2026-02-01T00:00:05Z");
    read(input, "m-1", 5, "2026-01-31T23:59:50Z");
    read(input, "m-1", 3, "2026-02-01T00:01:00Z");
  }

  private static void read(
      TestInputTopic<String, MeterReading> input, String meter, long wattHours, String time) {
    Instant at = Instant.parse(time);
    input.pipeInput(meter, new MeterReading(meter, wattHours, null, at), at);
  }

  private static void calibrate(
      TestInputTopic<String, MeterReading> input, String meter, long wattHours, String time) {
    Instant at = Instant.parse(time);
    input.pipeInput(meter, new MeterReading(meter, wattHours, true, at), at);
  }

  private static KeyValue<Instant, Energy> window(
      String start, long wattHours, long readings, long largest) {
    return KeyValue.pair(Instant.parse(start), new Energy(wattHours, readings, largest));
  }

  private static List<KeyValue<Instant, Energy>> monthsOf(JobTestDriver driver) {
    return windows(
        driver, RollupsJob.ENERGY_BY_MONTH, "m-1", Instant.parse("2026-01-01T00:00:00Z"), FEBRUARY);
  }

  /** The windows of {@code meter} in {@code table} that start from {@code from} to {@code to}. */
  private static List<KeyValue<Instant, Energy>> windows(
      JobTestDriver driver,
      ServingTable<String, Energy> table,
      String meter,
      Instant from,
      Instant to) {
    sendPartials(driver);
    List<KeyValue<Instant, Energy>> windows = new ArrayList<>();
    try (WindowStoreIterator<ValueAndTimestamp<Energy>> iterator =
        driver.windowStore(table).fetch(meter, from, to)) {
      iterator.forEachRemaining(
          kv -> windows.add(KeyValue.pair(Instant.ofEpochMilli(kv.key), kv.value.value())));
    }
    return windows;
  }

  /**
   * Lets the minutes and each level of rollup take the partials of the level below: each level
   * takes them at most every second of wall-clock time.
   */
  private static void sendPartials(JobTestDriver driver) {
    for (int level = 0; level < 4; level++) {
      driver.advanceWallClockTime(Duration.ofSeconds(1));
    }
  }
}
