package dev.kappa.reprocessing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kappa.topology.runtime.JobConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a host refuses before it connects to anything. */
class JobHostTest {

  @TempDir Path state;

  @Test
  void shouldRefuseASkewThatIsNotBelowAVersionsSmallestGraceBeforeConnecting() {
    // No broker listens on port 1: the check comes before any connection.
    JobHost.Builder builder =
        JobHost.builder(JobConfig.builder("localhost:1").stateDirectory(state).build())
            .version(1, SiteReadings.all("sites"))
            .version(2, SiteReadings.large("sites"))
            .settings(ReplaySettings.defaults().withMaxEventTimeSkew(Duration.ofSeconds(45)));

    assertThatThrownBy(builder::start)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot align job 'sites' (sites-v1) with a maximum event-time skew of PT45S: its step"
                + " 'totals-by-site' has the smallest grace, PT30S, and while the job replays or"
                + " lags, records up to the skew plus the disorder of a partition behind the"
                + " others would be dropped there as late. Set a skew below PT30S (half of it"
                + " leaves room for disorder) with ReplaySettings#withMaxEventTimeSkew, leave it"
                + " unset, or give 'totals-by-site' a larger grace.");
  }
}
