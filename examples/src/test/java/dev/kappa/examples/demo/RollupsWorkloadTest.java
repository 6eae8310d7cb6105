package dev.kappa.examples.demo;

import static dev.kappa.examples.demo.WorkloadRecords.closeTo;
import static dev.kappa.examples.demo.WorkloadRecords.generate;
import static dev.kappa.examples.demo.WorkloadRecords.problem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kappa.examples.rollups.MeterReading;
import dev.kappa.examples.rollups.RollupsJob;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class RollupsWorkloadTest {

  private final RollupsWorkload workload =
      new RollupsWorkload(DemoOptions.parse(new String[] {"--job", "time-rollups"}));
  private final List<ProducerRecord<String, byte[]>> records = generate(workload, 20_000);

  @Test
  void shouldProduceValidReadingsOfNowAndAFewBadOnes() {
    long bad =
        records.stream()
            .filter(
                r ->
                    problem(r, RollupsJob.METER_READINGS.values(), RollupsJob::problem).isPresent())
            .count();

    assertThat(records).hasSize(20_000);
    assertThat(records).allMatch(r -> closeTo(r, Duration.ofSeconds(5)));
    assertThat(bad).isBetween(15L, 80L);
  }

  @Test
  void shouldReadEveryMeterWithAFewCalibrationPulsesThatV2LeavesOut() {
    List<MeterReading> readings =
        records.stream()
            .filter(
                r -> problem(r, RollupsJob.METER_READINGS.values(), RollupsJob::problem).isEmpty())
            .map(
                r ->
                    RollupsJob.METER_READINGS
                        .values()
                        .serde()
                        .deserializer()
                        .deserialize("", r.value()))
            .toList();
    List<MeterReading> calibration = readings.stream().filter(MeterReading::isCalibration).toList();

    assertThat(readings.stream().map(MeterReading::meterId).distinct())
        .hasSize(RollupsWorkload.METERS)
        .contains(RollupsWorkload.meterId(0));
    assertThat((double) calibration.size() / readings.size()).isBetween(0.005, 0.015);
    assertThat(calibration).allMatch(reading -> reading.wattHours() >= 2_000);
    assertThat(readings)
        .filteredOn(reading -> !reading.isCalibration())
        .allMatch(reading -> reading.wattHours() >= 1 && reading.wattHours() <= 20);
  }
}
