package dev.kappa.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class VersionedJobTest {

  @Test
  void shouldHoldTheVersionsOfOneJobInOrder() {
    VersionedJob job = VersionedJob.of(Map.of(2, MeterReadings.job(500), 1, MeterReadings.job(0)));
    assertThat(job.name()).isEqualTo(MeterReadings.JOB);
    assertThat(job.versions().keySet()).containsExactly(1, 2);
  }

  @Test
  void shouldRefuseVersionsOfDifferentJobsOrNumbersBelowOne() {
    assertThatThrownBy(() -> VersionedJob.of(Map.of()))
        .hasMessage("A versioned job needs at least one version");
    assertThatThrownBy(() -> VersionedJob.of(Map.of(0, MeterReadings.job(0))))
        .hasMessageContaining("Invalid version number 0 of job 'meters'");
    assertThatThrownBy(
            () ->
                VersionedJob.of(Map.of(1, MeterReadings.job(0), 2, MeterReadings.job("other", 0))))
        .hasMessageContaining("v2 is named 'other', not 'meters'");
  }
}
