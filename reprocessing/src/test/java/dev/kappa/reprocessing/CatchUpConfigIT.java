package dev.kappa.reprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kappa.embedded.EmbeddedKafkaExtension;
import dev.kappa.topology.runtime.JobConfig;
import dev.kappa.topology.runtime.RunningJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A version that catches up with settings of its own: it replays a backlog with two stream threads
 * and a 1 s commit interval, is restarted with the job's single thread once it has caught up, and
 * only then is swapped to; every window is exact.
 */
class CatchUpConfigIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  @TempDir Path state;

  @Test
  void shouldReplayWithTheCatchUpSettingsAndRunWithTheJobsOnceCaughtUp() throws Exception {
    String job = "catching-up";
    kafka.get().createTopic(SiteReadings.READINGS.topic(), 4, Map.of("retention.ms", "-1"));
    JobVersion v1 = JobVersion.of(job, 1);
    try (Workload workload = new Workload(kafka.bootstrapServers(), Duration.ofMillis(20))) {
      workload.produce(40_000);
      JobConfig config = JobConfig.builder(kafka.bootstrapServers()).stateDirectory(state).build();
      try (JobHost host =
          JobHost.builder(config)
              .version(1, SiteReadings.all(job))
              .settings(
                  ReplaySettings.defaults()
                      .withSettlingPeriod(Duration.ofSeconds(1))
                      .withCheckInterval(Duration.ofMillis(250))
                      .withCatchUp(
                          CatchUpConfig.none()
                              .withCommitInterval(Duration.ofSeconds(1))
                              .withStreamThreads(2)))
              .registryTopic("registry-" + job)
              .instance(job + "-host")
              .start()) {
        host.startVersion(job, 1, StartOptions.defaults().swappingWhenCaughtUp());

        await().atMost(TIMEOUT).until(() -> host.running(v1).isPresent());
        RunningJob catchingUp = host.running(v1).orElseThrow();
        assertThat(catchingUp.streams().metadataForLocalThreads())
            .as("stream threads while catching up")
            .hasSize(2);
        assertThat(host.history(job).active()).as("not active before it caught up").isEmpty();

        await().atMost(TIMEOUT).until(() -> host.history(job).active().orElse(-1) == 1);
        RunningJob live = host.running(v1).orElseThrow();
        assertThat(live).as("restarted once caught up").isNotSameAs(catchingUp);
        assertThat(live.state()).isEqualTo(KafkaStreams.State.RUNNING);
        assertThat(live.streams().metadataForLocalThreads())
            .as("stream threads once live")
            .hasSize(1);

        SiteWindows.awaitExact(List.of(host), job, 1, workload, false, TIMEOUT);
        assertThat(host.progress(v1).orElseThrow().lateDropped()).isZero();
      }
    }
  }
}
