package dev.kappa.examples.incidents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kappa.topology.deadletter.DeadLetter;
import dev.kappa.topology.testing.JobTestDriver;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The incidents job on hand-made readings and calls on 22 November 2026, times given as {@code
 * HH:mm:ss[.SSS]} of that day. Site s-1 stands in area "north", s-2 in "south".
 */
class IncidentsJobTest {

  private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");

  private JobTestDriver driver;
  private TestInputTopic<String, WindReading> winds;
  private TestInputTopic<String, EmergencyCall> calls;

  @BeforeEach
  void start() {
    driver = JobTestDriver.of(IncidentsJob.v1(), START);
    winds = driver.input(IncidentsJob.WIND_READINGS);
    calls = driver.input(IncidentsJob.EMERGENCY_CALLS);
  }

  @AfterEach
  void close() {
    driver.close();
  }

  @Test
  void shouldMakeAnIncidentOfAHighWindAndTheCallsFromItsAreaWithinTenMinutes() {
    wind(winds, "s-1", "north", 25.0, "10:00:00");
    wind(winds, "s-2", "north", 15.0, "10:01:00"); // a breeze: no incident
    call(calls, "c-1", "north", "10:03:00");
    call(calls, "c-2", "south", "10:04:00"); // another area
    call(calls, "c-3", "north", "10:08:00");

    assertThat(incident(driver, "s-1@2026-11-22T10:00:00Z"))
        .isEqualTo(new Incident("s-1", "north", 25.0, at("10:00:00"), List.of("c-1", "c-3")));
    assertThat(incident(driver, "s-2@2026-11-22T10:01:00Z")).isNull();
    assertThat(driver.deadLetters()).isEmpty();
    assertThat(driver.droppedRecords()).isZero();
  }

  @Test
  void shouldJoinCallsFromTheReadingToTenMinutesAfterItBothIncluded() {
    // reading at 10:00:00            [10:00:00 ........................ 10:10:00]
    // calls      09:59:59.999 (out)   10:00:00 (in)          10:10:00 (in)   10:10:00.001 (out)
    call(calls, "before", "north", "09:59:59.999");
    wind(winds, "s-1", "north", 21.0, "10:00:00");
    call(calls, "at-once", "north", "10:00:00");
    call(calls, "ten-minutes", "north", "10:10:00");
    call(calls, "too-late", "north", "10:10:00.001");

    assertThat(incident(driver, "s-1@2026-11-22T10:00:00Z").callIds())
        .containsExactly("at-once", "ten-minutes");
    assertThat(driver.droppedRecords()).isZero();
  }

  @Test
  void shouldJoinACallThatArrivesBeforeItsReading() {
    // The call system is ahead of the weather feed: the call waits in the join for the reading.
    call(calls, "c-1", "north", "10:05:00");
    wind(winds, "s-1", "north", 30.0, "10:00:00");

    assertThat(incident(driver, "s-1@2026-11-22T10:00:00Z"))
        .isEqualTo(new Incident("s-1", "north", 30.0, at("10:00:00"), List.of("c-1")));
  }

  @Test
  void shouldJoinALateCallWithinTheGraceButNotOnceTheReadingHasExpired() {
    // The reading's window is 10:00-10:10; with 5 minutes of grace the join keeps the reading
    // until the readings' stream time (of the area's task) passes 10:15.
    //
    //   10:00 north reading   10:14:59.999 south call   "late" north call at 10:09: joined
    //   10:15:00.001 east reading (the 10:00 reading expires)   "too-late" north call at 10:09: not
    wind(winds, "s-1", "north", 22.0, "10:00:00");
    call(calls, "c-south", "south", "10:14:59.999");
    call(calls, "late", "north", "10:09:00");
    wind(winds, "s-3", "east", 23.0, "10:15:00.001");
    call(calls, "too-late", "north", "10:09:00");

    assertThat(incident(driver, "s-1@2026-11-22T10:00:00Z").callIds()).containsExactly("late");
    // The call beyond the grace is kept in the join (it could still meet a reading of 09:59 to
    // 10:09 of its area), so Kafka Streams neither joins nor drops it: no count, no dead letter.
    assertThat(driver.droppedRecords()).isZero();
    assertThat(driver.deadLetters()).isEmpty();
  }

  @Test
  void shouldOpenIncidentsOnlyAtStormsInV2() {
    try (JobTestDriver v2 = JobTestDriver.of(IncidentsJob.v2(), START)) {
      for (JobTestDriver each : List.of(driver, v2)) {
        TestInputTopic<String, WindReading> windInput = each.input(IncidentsJob.WIND_READINGS);
        TestInputTopic<String, EmergencyCall> callInput = each.input(IncidentsJob.EMERGENCY_CALLS);
        wind(windInput, "s-1", "north", 22.0, "10:00:00"); // a strong gale, not a storm
        wind(windInput, "s-2", "south", 24.5, "10:00:00"); // a storm, just
        call(callInput, "c-1", "north", "10:02:00");
        call(callInput, "c-2", "south", "10:03:00");
      }

      assertThat(incident(driver, "s-1@2026-11-22T10:00:00Z").callIds()).containsExactly("c-1");
      assertThat(incident(driver, "s-2@2026-11-22T10:00:00Z").callIds()).containsExactly("c-2");
      assertThat(incident(v2, "s-1@2026-11-22T10:00:00Z")).isNull();
      assertThat(incident(v2, "s-2@2026-11-22T10:00:00Z"))
          .isEqualTo(new Incident("s-2", "south", 24.5, at("10:00:00"), List.of("c-2")));
    }
  }

  @Test
  void shouldSendInvalidRecordsToTheDeadLetterTopicWithTheReason() {
    Instant time = at("10:00:00");
    winds.pipeInput("s-1", new WindReading("s-1", "north", -1.0, time), time);
    winds.pipeInput("s-1", new WindReading("s-9", "north", 25.0, time), time);
    calls.pipeInput("c-1", new EmergencyCall("c-1", null, time), time);

    assertThat(driver.deadLetters())
        .extracting(DeadLetter::message)
        .containsExactly(
            "Record rejected by 'valid-wind-readings': metresPerSecond must be present and not"
                + " negative, was -1.0",
            "Record rejected by 'valid-wind-readings': the key 's-1' is not the reading's siteId"
                + " 's-9'",
            "Record rejected by 'valid-calls': callId, area and timestamp are required, got"
                + " EmergencyCall[callId=c-1, area=null, timestamp=2026-11-22T10:00:00Z]");
  }

  @Test
  void shouldBuildBothVersionsUnderTheSameJobAndTableNames() {
    assertThat(IncidentsJob.v2().name()).isEqualTo(IncidentsJob.v1().name());
    assertThat(IncidentsJob.v2().servingTables())
        .containsExactlyElementsOf(IncidentsJob.v1().servingTables());
  }

  private static Incident incident(JobTestDriver driver, String id) {
    ValueAndTimestamp<Incident> incident = driver.keyValueStore(IncidentsJob.INCIDENTS).get(id);
    return incident == null ? null : incident.value();
  }

  private static void wind(
      TestInputTopic<String, WindReading> input,
      String site,
      String area,
      double metresPerSecond,
      String time) {
    Instant at = at(time);
    input.pipeInput(site, new WindReading(site, area, metresPerSecond, at), at);
  }

  private static void call(
      TestInputTopic<String, EmergencyCall> input, String callId, String area, String time) {
    Instant at = at(time);
    input.pipeInput(callId, new EmergencyCall(callId, area, at), at);
  }

  private static Instant at(String time) {
    return LocalTime.parse(time)
        .atDate(START.atZone(ZoneOffset.UTC).toLocalDate())
        .toInstant(ZoneOffset.UTC);
  }
}
