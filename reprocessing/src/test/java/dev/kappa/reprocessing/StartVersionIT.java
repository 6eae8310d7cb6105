package dev.kappa.reprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kappa.embedded.EmbeddedKafkaExtension;
import dev.kappa.reprocessing.registry.CommandRefusedException;
import dev.kappa.reprocessing.replay.IncompleteHistoryException;
import dev.kappa.reprocessing.replay.ReplayPlan;
import dev.kappa.topology.runtime.JobConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Starting a version: the retention check on its sources, and the rules of the registry. */
class StartVersionIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  @TempDir Path state;

  @Test
  void shouldRefuseToReplaySourcesWhoseHistoryWasDeletedNamingThem() throws Exception {
    kafka
        .get()
        .createTopic(
            "readings", 3, Map.of("retention.ms", Long.toString(Duration.ofDays(7).toMillis())));
    try (Workload workload = new Workload(kafka.bootstrapServers(), Duration.ofMillis(10));
        Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      workload.produce(3000);
      admin
          .deleteRecords(
              Map.of(
                  new TopicPartition("readings", 0), RecordsToDelete.beforeOffset(100),
                  new TopicPartition("readings", 2), RecordsToDelete.beforeOffset(50)))
          .all()
          .get();
    }
    JobConfig config = JobConfig.builder(kafka.bootstrapServers()).stateDirectory(state).build();
    try (JobHost host =
        JobHost.builder(config)
            .version(1, SiteReadings.all("partial"))
            .registryTopic("start-registry")
            .start()) {
      assertThatThrownBy(() -> host.startVersion("partial", 1, StartOptions.defaults()))
          .isInstanceOf(IncompleteHistoryException.class)
          .hasMessage(
              "Cannot replay 'partial' v1 from the beginning: topic 'readings' partitions [0, 2]"
                  + " start at offsets [100, 50] (retention.ms=604800000, retention.bytes=-1), so"
                  + " their first records were deleted by retention or on request. Give the source"
                  + " topics a retention that keeps the history the job needs (retention.ms=-1), or"
                  + " start the version accepting partial history.");
      assertThat(host.history("partial").versions()).isEmpty();

      ReplayPlan plan =
          host.startVersion("partial", 1, StartOptions.defaults().acceptingPartialHistory());
      assertThat(plan.records()).isEqualTo(3000 - 150);
      assertThat(host.history("partial").version(1).orElseThrow().partialHistory()).isTrue();
      assertThatThrownBy(() -> host.startVersion("partial", 1, StartOptions.defaults()))
          .isInstanceOf(CommandRefusedException.class)
          .hasMessageStartingWith("Cannot start 'partial' v1: it was started before");
      assertThatThrownBy(() -> host.startVersion("partial", 2, StartOptions.defaults()))
          .hasMessage(
              "Cannot start 'partial' v2: host "
                  + host.instance()
                  + " does not have its code. Its versions of job 'partial' are [1]; add the"
                  + " version with JobHost.Builder#version.");
    }
  }
}
