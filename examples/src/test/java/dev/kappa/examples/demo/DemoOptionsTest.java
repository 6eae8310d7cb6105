package dev.kappa.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DemoOptionsTest {

  @Test
  void shouldRunNetworkUsageWithoutAJob() {
    assertThat(DemoOptions.parse(new String[0]).job).isEqualTo(DemoJob.NETWORK_USAGE);
  }

  @Test
  void shouldReadTheJobByItsName() {
    assertThat(DemoOptions.parse(new String[] {"--job", "page-hits"}).job)
        .isEqualTo(DemoJob.PAGE_HITS);
    assertThat(DemoOptions.parse(new String[] {"--job", "failed-logins", "--rate", "50"}).job)
        .isEqualTo(DemoJob.FAILED_LOGINS);
    assertThat(DemoOptions.parse(new String[] {"--job", "time-rollups"}).job)
        .isEqualTo(DemoJob.TIME_ROLLUPS);
    assertThat(DemoOptions.parse(new String[] {"--job", "incidents"}).job)
        .isEqualTo(DemoJob.INCIDENTS);
  }

  @Test
  void shouldGiveEachJobAWorkloadOfThatJob() {
    DemoOptions options = DemoOptions.parse(new String[0]);
    for (DemoJob job : DemoJob.values()) {
      assertThat(job.workload(options).job()).isEqualTo(job.jobName());
    }
  }

  @Test
  void shouldListTheJobsWhenTheJobIsUnknown() {
    assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--job", "page-views"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Option --job names no example job: got 'page-views'. Pass one of: network-usage,"
                + " page-hits, failed-logins, time-rollups, incidents");
    assertThat(DemoOptions.USAGE)
        .contains("[--job name]")
        .contains("Jobs: network-usage, page-hits, failed-logins, time-rollups, incidents");
  }
}
