package dev.kappa.examples.demo;

import static dev.kappa.examples.demo.WorkloadRecords.START;
import static dev.kappa.examples.demo.WorkloadRecords.closeTo;
import static dev.kappa.examples.demo.WorkloadRecords.generate;
import static dev.kappa.examples.demo.WorkloadRecords.problem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kappa.examples.incidents.EmergencyCall;
import dev.kappa.examples.incidents.IncidentsJob;
import dev.kappa.examples.incidents.WindReading;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class IncidentsWorkloadTest {

  // 20 s at 1,000 readings/s: about 10 calls.
  private final IncidentsWorkload workload =
      new IncidentsWorkload(
          DemoOptions.parse(new String[] {"--job", "incidents", "--rate", "1000"}));
  private final List<ProducerRecord<String, byte[]>> records = generate(workload, 20_000);

  @Test
  void shouldProduceValidReadingsAndCallsOfNowAndAFewBadOnes() {
    List<ProducerRecord<String, byte[]>> winds = topic(IncidentsJob.WIND_READINGS.topic());
    long badWinds =
        winds.stream()
            .filter(
                r ->
                    problem(r, IncidentsJob.WIND_READINGS.values(), IncidentsJob::problem)
                        .isPresent())
            .count();

    assertThat(winds).hasSize(20_000);
    assertThat(records).allMatch(r -> closeTo(r, Duration.ofSeconds(10)));
    assertThat(badWinds).isBetween(15L, 80L);
  }

  @Test
  void shouldBlowGustsAndBringCallsWhereTheStormIs() {
    String storm = IncidentsWorkload.stormArea(START);
    List<WindReading> gusts =
        topic(IncidentsJob.WIND_READINGS.topic()).stream()
            .filter(
                r ->
                    problem(r, IncidentsJob.WIND_READINGS.values(), IncidentsJob::problem)
                        .isEmpty())
            .map(
                r ->
                    IncidentsJob.WIND_READINGS
                        .values()
                        .serde()
                        .deserializer()
                        .deserialize("", r.value()))
            .filter(wind -> wind.metresPerSecond() >= IncidentsJob.STRONG_GALE)
            .toList();
    List<EmergencyCall> calls =
        topic(IncidentsJob.EMERGENCY_CALLS.topic()).stream()
            .filter(
                r ->
                    problem(r, IncidentsJob.EMERGENCY_CALLS.values(), IncidentsJob::problem)
                        .isEmpty())
            .map(
                r ->
                    IncidentsJob.EMERGENCY_CALLS
                        .values()
                        .serde()
                        .deserializer()
                        .deserialize("", r.value()))
            .toList();

    // 1 in 8 readings is in the storm's area, 3 % of those a gust: about 75.
    assertThat(gusts).hasSizeBetween(30, 130).allMatch(wind -> wind.area().equals(storm));
    assertThat(gusts).anyMatch(wind -> wind.metresPerSecond() >= IncidentsJob.STORM);
    assertThat(gusts).anyMatch(wind -> wind.metresPerSecond() < IncidentsJob.STORM);
    assertThat(calls).hasSizeBetween(3, 25).anyMatch(call -> call.area().equals(storm));
  }

  private List<ProducerRecord<String, byte[]>> topic(String topic) {
    return records.stream().filter(r -> r.topic().equals(topic)).toList();
  }
}
