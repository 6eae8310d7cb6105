package dev.kappa.reprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kappa.embedded.EmbeddedKafkaExtension;
import dev.kappa.reprocessing.SiteReadings.Total;
import dev.kappa.reprocessing.registry.VersionStatus;
import dev.kappa.reprocessing.replay.ReplayPlan;
import dev.kappa.reprocessing.replay.ReplayProgress;
import dev.kappa.topology.runtime.JobConfig;
import dev.kappa.topology.runtime.RunningJob;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay gives the same answer as live processing: v1 processes a log live as it is produced, over
 * time and with disorder inside the grace period, on four partitions; v2, with the same logic,
 * replays the whole backlog from the start. Every window of v2 equals v1's, and v2 drops no record
 * as late, because its consumer releases the source partitions in log-time order.
 */
class ReplayEquivalenceIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final String JOB = "equal";
  private static final Duration TIMEOUT = Duration.ofSeconds(180);

  @TempDir Path state;

  @Test
  void shouldComputeEveryWindowAsLiveProcessingDidWithoutDroppingARecord() throws Exception {
    kafka.get().createTopic(SiteReadings.READINGS.topic(), 4, Map.of("retention.ms", "-1"));
    JobConfig config = JobConfig.builder(kafka.bootstrapServers()).stateDirectory(state).build();
    // Event time runs 4 times as fast as the clock (1 ms a reading, 4,000 readings/s): live v1
    // keeps up as long as no partition falls (30 s grace - 5 s disorder) / 4 = 6 s behind another.
    try (Workload workload = new Workload(kafka.bootstrapServers(), Duration.ofMillis(1));
        JobHost host =
            JobHost.builder(config)
                .version(1, SiteReadings.all(JOB))
                .version(2, SiteReadings.all(JOB))
                .settings(ReplaySettings.defaults().withSettlingPeriod(Duration.ofSeconds(1)))
                .start()) {
      host.startVersion(JOB, 1, StartOptions.defaults());
      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  host.running(JobVersion.of(JOB, 1)).map(RunningJob::state).orElse(null)
                      == KafkaStreams.State.RUNNING);
      CompletableFuture<Void> live = CompletableFuture.runAsync(() -> workload.produceLive(4000));
      await().atMost(TIMEOUT).until(() -> workload.produced() >= 100_000);
      workload.stop();
      live.get();
      RunningJob v1 = host.running(JobVersion.of(JOB, 1)).orElseThrow();
      await().atMost(TIMEOUT).until(() -> v1.committedPosition("readings") == workload.produced());
      long v1Late = v1.droppedRecords() - v1.deadLetters().total();

      // Started with the policy to swap by itself as soon as it has caught up.
      ReplayPlan plan = host.startVersion(JOB, 2, StartOptions.defaults().swappingWhenCaughtUp());
      Instant started = Instant.now();
      await()
          .atMost(TIMEOUT)
          .until(
              () -> host.history(JOB).version(2).orElseThrow().status() == VersionStatus.CAUGHT_UP);
      ReplayProgress progress = host.progress(JobVersion.of(JOB, 2)).orElseThrow();
      System.out.printf(
          "EQUIVALENCE: v2 replayed %,d records (4 partitions) and caught up in %.1f s; %s%n",
          plan.records(), Duration.between(started, Instant.now()).toMillis() / 1000.0, progress);

      assertThat(plan.records()).isEqualTo(workload.produced());
      await().atMost(TIMEOUT).until(() -> host.activeVersion(JOB).orElse(0) == 2);
      assertThat(v1Late).as("records v1 dropped as late live").isZero();
      assertThat(progress.lateDropped()).as("records v2 dropped as late in replay").isZero();
      // Caught up allows a small lag, and the windows sit behind a repartition topic: wait for
      // them.
      await()
          .atMost(TIMEOUT)
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                for (int site = 0; site < Workload.sites(); site++) {
                  String name = Workload.site(site);
                  Map<Instant, Total> live1 = SiteWindows.of(List.of(host), JOB, 1, name);
                  assertThat(live1).isEqualTo(workload.expectedWindows(name, false));
                  assertThat(SiteWindows.of(List.of(host), JOB, 2, name))
                      .as("v2 windows of %s", name)
                      .isEqualTo(live1);
                }
              });
    }
  }
}
