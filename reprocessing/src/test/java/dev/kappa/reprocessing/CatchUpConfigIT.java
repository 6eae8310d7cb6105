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
 * Versions that catch up with settings of their own: each replays the backlog with two stream
 * threads and a 1 s commit interval and is restarted with the job's single thread once it has
 * caught up; v2, started to be swapped to when caught up, is swapped to only after that restart.
 * Every window is exact.
 */
class CatchUpConfigIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  @TempDir Path state;

  private static int threads(RunningJob job) {
    return job.streams().metadataForLocalThreads().size();
  }

  private static boolean liveWithOneThread(JobHost host, JobVersion version) {
    return host.running(version)
        .filter(job -> job.state() == KafkaStreams.State.RUNNING)
        .map(job -> threads(job) == 1)
        .orElse(false);
  }

  @Test
  void shouldReplayWithTheCatchUpSettingsAndRunWithTheJobsOnceCaughtUp() throws Exception {
    String job = "catching-up";
    kafka.get().createTopic(SiteReadings.READINGS.topic(), 4, Map.of("retention.ms", "-1"));
    JobVersion v1 = JobVersion.of(job, 1);
    JobVersion v2 = JobVersion.of(job, 2);
    // Dense event time (1,000 readings a second of it): alignment moves at one skew per commit.
    try (Workload workload = new Workload(kafka.bootstrapServers(), Duration.ofMillis(1))) {
      workload.produce(40_000);
      JobConfig config = JobConfig.builder(kafka.bootstrapServers()).stateDirectory(state).build();
      try (JobHost host =
          JobHost.builder(config)
              .version(1, SiteReadings.all(job))
              .version(2, SiteReadings.large(job))
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
        host.startVersion(job, 1, StartOptions.defaults());
        await().atMost(TIMEOUT).until(() -> host.running(v1).isPresent());
        assertThat(threads(host.running(v1).orElseThrow()))
            .as("stream threads of v1 while catching up")
            .isEqualTo(2);
        await().atMost(TIMEOUT).until(() -> liveWithOneThread(host, v1));
        SiteWindows.awaitExact(List.of(host), job, 1, workload, false, TIMEOUT);

        host.startVersion(job, 2, StartOptions.defaults().swappingWhenCaughtUp());
        await().atMost(TIMEOUT).until(() -> host.running(v2).isPresent());
        RunningJob catchingUp = host.running(v2).orElseThrow();
        assertThat(threads(catchingUp)).as("stream threads of v2 while catching up").isEqualTo(2);

        await().atMost(TIMEOUT).until(() -> host.history(job).active().orElse(-1) == 2);
        RunningJob live = host.running(v2).orElseThrow();
        assertThat(live).as("v2 restarted before the swap").isNotSameAs(catchingUp);
        assertThat(liveWithOneThread(host, v2)).isTrue();
        SiteWindows.awaitExact(List.of(host), job, 2, workload, true, TIMEOUT);
        assertThat(host.progress(v2).orElseThrow().lateDropped()).isZero();
      }
    }
  }
}
