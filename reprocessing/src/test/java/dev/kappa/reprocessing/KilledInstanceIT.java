package dev.kappa.reprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kappa.embedded.EmbeddedKafkaExtension;
import dev.kappa.reprocessing.replay.ReplayProgress;
import dev.kappa.topology.runtime.JobConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance killed with SIGKILL while readings arrive live, with event time running 20 times as
 * fast as the clock: one instance runs in this JVM, the other in a JVM of its own ({@link
 * HostProcess}), which is killed and started again 12 s later on the same state directory. Under
 * exactly-once, every window must be exact afterwards and no record dropped as late: while the
 * killed instance's partitions stand still, the other instance holds its own partitions within the
 * skew of theirs instead of running ahead in event time.
 *
 * <p>{@code -Dkappa.test.transactional-state-stores=true} runs both instances with Kafka Streams
 * 4.4's transactional state stores (KIP-892, off by default), which keep a crashed instance's local
 * state; the test prints how many records the restarted instance restored from changelogs.
 */
class KilledInstanceIT {

  /** Short, so that the group notices the killed instance within the test. */
  static final int SESSION_TIMEOUT_MS = 10_000;

  /**
   * The settings of both instances. Live, alignment is off until a partition lags by more than
   * {@code catchUpLag} records (README, "What is guaranteed", assumption 6). At 2,000 readings a
   * second on 6 partitions, with event time 20 times the clock, 50 records of a partition are 3 s
   * of event time; with a check every 250 ms (5 s of event time) and 10 s of disorder, a reading is
   * at most about 18 s late, inside the 30 s grace. The default, 1,000 records, would be 60 s.
   */
  static final ReplaySettings SETTINGS =
      ReplaySettings.defaults().withCheckInterval(Duration.ofMillis(250)).withCatchUpLag(50);

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final Duration TIMEOUT = Duration.ofMinutes(4);
  private static final Duration DEAD_FOR = Duration.ofSeconds(12);
  private static final Pattern STATUS =
      Pattern.compile("KAPPA-STATUS state=(\\w+) tasks=(\\d+) restored=(\\d+) late=(\\d+)");

  @TempDir Path stateHere;
  @TempDir Path stateThere;

  @Test
  void shouldCountEveryReadingAfterAnInstanceIsKilledAndStartedAgain() throws Exception {
    boolean transactional = Boolean.getBoolean("kappa.test.transactional-state-stores");
    String job = "killed";
    String registry = "registry-" + job;
    kafka.get().createTopic(SiteReadings.READINGS.topic(), 6, Map.of("retention.ms", "-1"));
    JobConfig config =
        JobConfig.builder(kafka.bootstrapServers())
            .stateDirectory(stateHere)
            .set(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS)
            .set(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, transactional)
            .build();
    JobVersion v1 = JobVersion.of(job, 1);
    // 10 ms of event time a reading, 2,000 readings a second: 20 s of event time a second.
    try (Workload workload = new Workload(kafka.bootstrapServers(), Duration.ofMillis(10));
        JobHost here =
            JobHost.builder(config)
                .version(1, SiteReadings.all(job))
                .settings(SETTINGS)
                .registryTopic(registry)
                .instance(job + "-here")
                .start()) {
      here.startVersion(job, 1, StartOptions.defaults());
      Instance there = Instance.start(job, registry, stateThere, transactional);
      try {
        await().atMost(TIMEOUT).until(() -> there.running() && activeTasks(here, v1) > 0);
        CompletableFuture<Void> live = CompletableFuture.runAsync(() -> workload.produceLive(2000));
        await().atMost(TIMEOUT).until(() -> workload.produced() >= 20_000);

        there.kill();
        Instant killed = Instant.now();
        long producedWhenKilled = workload.produced();
        await()
            .atMost(TIMEOUT)
            .until(() -> Duration.between(killed, Instant.now()).compareTo(DEAD_FOR) >= 0);
        Instance again = Instance.start(job, registry, stateThere, transactional);
        try {
          await().atMost(TIMEOUT).until(again::running);
          long restoredWhenRunning = again.restored();
          await().atMost(TIMEOUT).until(() -> workload.produced() >= producedWhenKilled + 60_000);
          workload.stop();
          live.get();
          System.out.printf(
              "KILLED (transactional stores %s): %,d readings, the instance was dead for %s; on"
                  + " restart it restored %,d records from changelogs before running%n",
              transactional, workload.produced(), DEAD_FOR, restoredWhenRunning);
          assertThat(again.late()).as("late drops of the restarted instance").isZero();
        } finally {
          // Stopped cleanly, it hands its partitions to this instance, which then answers all.
          again.stop();
        }

        SiteWindows.awaitExact(List.of(here), job, 1, workload, false, TIMEOUT);
        assertThat(here.running(v1).orElseThrow().lateDroppedBySubtopology()).isEmpty();
        ReplayProgress progress = here.progress(v1).orElseThrow();
        System.out.println("PROGRESS: " + progress);
        assertThat(progress.lateDropped()).isZero();
      } finally {
        there.kill();
      }
    }
  }

  private static int activeTasks(JobHost host, JobVersion version) {
    return host.running(version)
        .filter(job -> job.state() == KafkaStreams.State.RUNNING)
        .map(
            job ->
                job.streams().metadataForLocalThreads().stream()
                    .mapToInt(thread -> thread.activeTasks().size())
                    .sum())
        .orElse(0);
  }

  /** A {@link HostProcess} and what it last reported. */
  private static final class Instance {
    private final Process process;
    private volatile String state = "NONE";
    private volatile int tasks;
    private volatile long restored;
    private volatile long late;

    private Instance(Process process) {
      this.process = process;
    }

    static Instance start(String job, String registry, Path state, boolean transactional)
        throws IOException {
      Path log = Files.createTempFile("kappa-host-process-", ".log");
      Process process =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx512m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  HostProcess.class.getName(),
                  kafka.bootstrapServers(),
                  state.toString(),
                  job,
                  registry,
                  job + "-there",
                  Boolean.toString(transactional))
              .redirectErrorStream(true)
              .start();
      Instance instance = new Instance(process);
      Thread reader = new Thread(() -> instance.read(log), "host-process-output-" + process.pid());
      reader.setDaemon(true);
      reader.start();
      return instance;
    }

    /** Follows the status lines, and keeps the whole output in a file for a failed test. */
    private void read(Path log) {
      try (BufferedReader lines =
              new BufferedReader(
                  new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
          PrintWriter copy = new PrintWriter(Files.newBufferedWriter(log))) {
        String line;
        while ((line = lines.readLine()) != null) {
          copy.println(line);
          Matcher status = STATUS.matcher(line);
          if (status.find()) {
            state = status.group(1);
            tasks = Integer.parseInt(status.group(2));
            restored = Long.parseLong(status.group(3));
            late = Long.parseLong(status.group(4));
          }
        }
      } catch (IOException e) {
        // The process is gone.
      }
    }

    boolean running() {
      return process.isAlive() && state.equals("RUNNING") && tasks > 0;
    }

    long restored() {
      return restored;
    }

    long late() {
      return late;
    }

    /** SIGKILL: no shutdown hook, no commit, no leaving the group. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor();
    }

    void stop() throws Exception {
      if (!process.isAlive()) {
        return;
      }
      OutputStream input = process.getOutputStream();
      input.write("stop\n".getBytes(StandardCharsets.UTF_8));
      input.flush();
      if (!process.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)) {
        kill();
      }
    }
  }
}
