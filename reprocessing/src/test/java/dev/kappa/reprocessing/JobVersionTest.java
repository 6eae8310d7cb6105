package dev.kappa.reprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kappa.topology.JobTopology;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JobVersionTest {

  private static final JobVersion V1 = JobVersion.of("sites", 1);

  @Test
  void shouldDeriveEveryNameFromTheJobAndVersion() {
    JobTopology topology = V1.topology(SiteReadings.all("sites"));

    assertThat(V1.applicationId()).isEqualTo("sites-v1");
    assertThat(V1.consumerGroup()).isEqualTo("sites-v1");
    assertThat(V1.stateDirectory(Path.of("/state"))).isEqualTo(Path.of("/state/sites-v1"));
    assertThat(topology.applicationId()).isEqualTo("sites-v1");
    assertThat(topology.outputTopics()).containsEntry("alerts", "sites-v1-alerts");
    assertThat(topology.deadLetterTopic()).isEqualTo("sites-v1-dead-letters");
  }

  @Test
  void shouldListTheInternalTopicsFromTheTopologyDescription() {
    JobTopology topology = V1.topology(SiteReadings.all("sites"));

    assertThat(V1.internalTopics(topology))
        .containsExactlyInAnyOrder(
            "sites-v1-readings-by-site-repartition",
            "sites-v1-totals-by-site-changelog",
            "sites-v1-totals-by-sensor-changelog",
            // the two-phase site table: its partials, their repartition, the table
            "sites-v1-site-minutes-partials-changelog",
            "sites-v1-site-minutes-partials-repartition",
            "sites-v1-site-minutes-changelog",
            // its rollups: by time without a repartition, by key with one
            "sites-v1-site-hours-partials-changelog",
            "sites-v1-site-hours-changelog",
            "sites-v1-all-sites-partials-changelog",
            "sites-v1-all-sites-partials-repartition",
            "sites-v1-all-sites-changelog");
    assertThat(V1.storeNames(topology))
        .containsExactlyInAnyOrder(
            "totals-by-sensor",
            "totals-by-site",
            "site-minutes-partials",
            "site-minutes",
            "site-hours-partials",
            "site-hours",
            "all-sites-partials",
            "all-sites");
    assertThat(V1.ownedTopics(topology))
        .containsAll(V1.internalTopics(topology))
        .contains("sites-v1-alerts", "sites-v1-dead-letters")
        .doesNotContain("readings");
  }

  @Test
  void shouldNeverNameATopicOfVersion10OrOfALongerJobLikeOneOfVersion1() {
    JobVersion v10 = JobVersion.of("sites", 10);
    JobVersion longer = JobVersion.of("sites-east", 1);

    JobTopology v1 = V1.topology(SiteReadings.all("sites"));
    assertThat(V1.ownedTopics(v1))
        .doesNotContainAnyElementsOf(v10.ownedTopics(v10.topology(SiteReadings.all("sites"))))
        .doesNotContainAnyElementsOf(
            longer.ownedTopics(longer.topology(SiteReadings.all("sites-east"))));
  }

  @Test
  void shouldRefuseAJobNameThatLooksVersioned() {
    assertThatThrownBy(() -> JobVersion.of("sites-v1", 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid name 'sites-v1' for a versioned job: it contains '-v' followed by a digit,"
                + " which marks the version in application ids and topic names. Rename the job.");
    assertThat(JobVersion.of("sites-view", 2).applicationId()).isEqualTo("sites-view-v2");
  }

  @Test
  void shouldRefuseVersionZeroAndATopologyOfAnotherJob() {
    assertThatThrownBy(() -> JobVersion.of("sites", 0))
        .hasMessage("Invalid version 0 of job 'sites': versions start at 1");
    assertThatThrownBy(() -> V1.topology(SiteReadings.all("other")))
        .hasMessage("Cannot build job 'other' as 'sites' v1: the names differ");
  }
}
