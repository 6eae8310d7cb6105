package dev.kappa.reprocessing;

import dev.kappa.topology.runtime.JobConfig;
import dev.kappa.topology.runtime.RunningJob;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * One instance of {@link SiteReadings} v1 in a JVM of its own, for tests that kill it: it runs a
 * {@link JobHost} until its standard input says {@code stop} or closes, and prints a status line
 * every 200 ms ({@code KAPPA-STATUS state=RUNNING tasks=3 restored=1200 late=0}).
 *
 * <p>Arguments: bootstrap servers, state directory, job, registry topic, instance name, and whether
 * state stores are transactional ({@code true} or {@code false}).
 */
public final class HostProcess {

  private HostProcess() {}

  public static void main(String[] args) throws Exception {
    String job = args[2];
    JobConfig config =
        JobConfig.builder(args[0])
            .stateDirectory(Path.of(args[1]))
            .set(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, KilledInstanceIT.SESSION_TIMEOUT_MS)
            .set(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, Boolean.parseBoolean(args[5]))
            .build();
    JobVersion v1 = JobVersion.of(job, 1);
    ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor();
    try (JobHost host =
        JobHost.builder(config)
            .version(1, SiteReadings.all(job))
            .settings(KilledInstanceIT.SETTINGS)
            .registryTopic(args[3])
            .instance(args[4])
            .start()) {
      reporter.scheduleWithFixedDelay(
          () -> System.out.println(status(host.running(v1))), 200, 200, TimeUnit.MILLISECONDS);
      BufferedReader commands =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String command;
      while ((command = commands.readLine()) != null && !command.equals("stop")) {
        System.out.println("KAPPA-UNKNOWN-COMMAND " + command);
      }
    } finally {
      reporter.shutdownNow();
    }
    System.out.println("KAPPA-STOPPED");
  }

  private static String status(Optional<RunningJob> running) {
    if (running.isEmpty()) {
      return "KAPPA-STATUS state=NONE tasks=0 restored=0 late=0";
    }
    RunningJob job = running.get();
    int tasks =
        job.streams().metadataForLocalThreads().stream()
            .mapToInt(thread -> thread.activeTasks().size())
            .sum();
    long late = job.lateDroppedBySubtopology().values().stream().mapToLong(Long::longValue).sum();
    return "KAPPA-STATUS state="
        + job.state()
        + " tasks="
        + tasks
        + " restored="
        + job.restoredRecords()
        + " late="
        + late;
  }
}
