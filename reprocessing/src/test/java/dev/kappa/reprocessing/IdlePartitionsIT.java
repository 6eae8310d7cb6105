package dev.kappa.reprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kappa.embedded.EmbeddedKafkaExtension;
import dev.kappa.reprocessing.replay.ReplayProgress;
import dev.kappa.topology.runtime.JobConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Empty and idle partitions hold alignment back for a bounded time at most: a source with 4
 * partitions, one of which never gets a record and one of which stops getting records a quarter
 * into the backlog (a long idle gap). Once a partition has nothing left to process it holds the
 * others no more, in the replay of the backlog and afterwards, when readings arrive live on two
 * partitions only.
 */
class IdlePartitionsIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final String JOB = "idle";
  private static final Duration BACKLOG_BOUND = Duration.ofSeconds(90);
  private static final Duration LIVE_BOUND = Duration.ofSeconds(15);

  @TempDir Path state;

  @Test
  void shouldNotBeHeldBackByAnEmptyPartitionOrOneThatFellIdle() throws Exception {
    kafka
        .get()
        .createTopic(
            SiteReadings.READINGS.topic(),
            4,
            Map.of(
                TopicConfig.RETENTION_MS_CONFIG,
                "-1",
                TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG,
                "LogAppendTime"));
    try (Workload workload = new Workload(kafka.bootstrapServers(), Duration.ofMillis(50))) {
      // Partition 3 stays empty; partition 2 idles after the first 10,000 readings (8 minutes of
      // event time) while 0 and 1 go on for 25 minutes more.
      workload.onPartitions(0, 1, 2);
      workload.produce(10_000);
      workload.onPartitions(0, 1);
      workload.produce(30_000);

      JobConfig config = JobConfig.builder(kafka.bootstrapServers()).stateDirectory(state).build();
      try (JobHost host =
          JobHost.builder(config)
              .version(1, SiteReadings.all(JOB))
              .settings(ReplaySettings.defaults().withCheckInterval(Duration.ofMillis(250)))
              .registryTopic("idle-registry")
              .start()) {
        Instant started = Instant.now();
        host.startVersion(JOB, 1, StartOptions.defaults());
        SiteWindows.awaitExact(List.of(host), JOB, 1, workload, false, BACKLOG_BOUND);
        Duration backlog = Duration.between(started, Instant.now());

        // Live, on partitions 0 and 1 only: 2 and 3 have nothing to process and hold nothing.
        workload.onPartitions(0, 1);
        CompletableFuture<Void> live = CompletableFuture.runAsync(() -> workload.produceLive(500));
        await().atMost(BACKLOG_BOUND).until(() -> workload.produced() >= 42_500);
        workload.stop();
        live.get();
        Instant stopped = Instant.now();
        SiteWindows.awaitExact(List.of(host), JOB, 1, workload, false, LIVE_BOUND);
        Duration live2 = Duration.between(stopped, Instant.now());

        ReplayProgress progress = host.progress(JobVersion.of(JOB, 1)).orElseThrow();
        System.out.printf(
            "IDLE PARTITIONS: backlog of 40,000 exact in %.1f s, live readings exact %.1f s after"
                + " the last was sent; %s%n",
            backlog.toMillis() / 1000.0, live2.toMillis() / 1000.0, progress);
        assertThat(progress.lateDropped()).isZero();
      }
    }
  }
}
