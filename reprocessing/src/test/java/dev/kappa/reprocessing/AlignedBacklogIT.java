package dev.kappa.reprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kappa.embedded.EmbeddedKafkaExtension;
import dev.kappa.reprocessing.registry.VersionStatus;
import dev.kappa.reprocessing.replay.ReplayProgress;
import dev.kappa.topology.runtime.JobConfig;
import dev.kappa.topology.runtime.RunningJob;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A retained backlog that was loaded in bulk, processed by several instances: the records of 8
 * partitions were appended within seconds (the topic keeps the append time, as a bulk load, a
 * backfill or a topic re-produced from an archive has), while their event times span more than an
 * hour, out of order by up to 10 s inside a partition, with 30 s grace. Neither the append time nor
 * the speed of any one instance orders them; only alignment by event time across the instances
 * does. Every window must be exact, computed here from the produced records.
 */
class AlignedBacklogIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final int PARTITIONS = 8;
  private static final int READINGS = 200_000;
  private static final Duration TIMEOUT = Duration.ofMinutes(6);

  private static Workload workload;

  @TempDir Path state;

  private final List<JobHost> hosts = new ArrayList<>();

  @BeforeAll
  static void loadTheBacklogInBulk() {
    kafka
        .get()
        .createTopic(
            SiteReadings.READINGS.topic(),
            PARTITIONS,
            Map.of(
                TopicConfig.RETENTION_MS_CONFIG,
                "-1",
                TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG,
                "LogAppendTime"));
    // 20 ms of event time a reading: 200,000 readings span 67 minutes.
    workload = new Workload(kafka.bootstrapServers(), Duration.ofMillis(20));
    long started = System.nanoTime();
    workload.produce(READINGS);
    workload.close();
    System.out.printf(
        "BACKLOG: %,d readings on %d partitions appended in %.1f s%n",
        READINGS, PARTITIONS, (System.nanoTime() - started) / 1e9);
  }

  @AfterEach
  void closeHosts() {
    hosts.forEach(JobHost::close);
  }

  @Test
  void shouldCountEveryReadingWhenTheFirstVersionStartsOnThreeInstancesOverTheBacklog() {
    String job = "first-on-three";
    startHosts(job, 3);
    Instant started = Instant.now();
    hosts.get(0).startVersion(job, 1, StartOptions.defaults());

    SiteWindows.awaitExact(hosts, job, 1, workload, false, TIMEOUT);
    System.out.printf(
        "ALIGNED BACKLOG: v1 of '%s' counted %,d readings exactly on 3 instances in %.1f s%n",
        job, READINGS, Duration.between(started, Instant.now()).toMillis() / 1000.0);
    assertNoLateDrops(job, 1);
  }

  @Test
  void shouldCountEveryReadingOnTwoInstancesAndReplayTheNextVersionOnBothBeforeTheSwap() {
    String job = "replay-on-two";
    startHosts(job, 2);
    hosts.get(0).startVersion(job, 1, StartOptions.defaults());
    SiteWindows.awaitExact(hosts, job, 1, workload, false, TIMEOUT);
    assertNoLateDrops(job, 1);

    // v2 counts only large readings. It replays on both instances, beside v1.
    Instant started = Instant.now();
    hosts.get(1).startVersion(job, 2, StartOptions.defaults());
    JobVersion v2 = JobVersion.of(job, 2);
    await().atMost(TIMEOUT).until(() -> hosts.stream().allMatch(host -> hasActiveTasks(host, v2)));
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                hosts.get(0).history(job).version(2).orElseThrow().status()
                    == VersionStatus.CAUGHT_UP);
    System.out.printf(
        "ALIGNED REPLAY: v2 of '%s' replayed %,d readings on 2 instances and caught up in %.1f"
            + " s%n",
        job, READINGS, Duration.between(started, Instant.now()).toMillis() / 1000.0);
    assertThat(hosts.get(0).history(job).version(2).orElseThrow().lateDropped()).isZero();

    hosts.get(0).swap(job, 2);
    SiteWindows.awaitExact(hosts, job, 2, workload, true, TIMEOUT);
    assertNoLateDrops(job, 2);
  }

  private void startHosts(String job, int count) {
    for (int i = 0; i < count; i++) {
      JobConfig config =
          JobConfig.builder(kafka.bootstrapServers())
              .stateDirectory(state.resolve("host-" + i))
              .build();
      hosts.add(
          JobHost.builder(config)
              .version(1, SiteReadings.all(job))
              .version(2, SiteReadings.large(job))
              .settings(
                  ReplaySettings.defaults()
                      .withSettlingPeriod(Duration.ofSeconds(1))
                      .withCheckInterval(Duration.ofMillis(250)))
              .registryTopic("registry-" + job)
              .instance(job + "-" + i)
              .start());
    }
  }

  /** Whether {@code version} runs on {@code host} with at least one active task there. */
  private static boolean hasActiveTasks(JobHost host, JobVersion version) {
    return host.running(version)
        .map(RunningJob::streams)
        .filter(streams -> streams.state() == KafkaStreams.State.RUNNING)
        .map(
            streams ->
                streams.metadataForLocalThreads().stream()
                    .anyMatch(thread -> !thread.activeTasks().isEmpty()))
        .orElse(false);
  }

  /** No instance dropped a record as late: by each instance's count, and by the version's. */
  private void assertNoLateDrops(String job, int number) {
    JobVersion version = JobVersion.of(job, number);
    for (JobHost host : hosts) {
      assertThat(host.running(version).orElseThrow().lateDroppedBySubtopology())
          .as("records %s dropped as late on %s", version, host.instance())
          .isEmpty();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> hosts.get(0).progress(version).isPresent());
    ReplayProgress progress = hosts.get(0).progress(version).orElseThrow();
    System.out.println("PROGRESS: " + progress);
    assertThat(progress.lateDropped()).isZero();
  }
}
