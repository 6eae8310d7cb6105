package dev.kappa.reprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kappa.embedded.EmbeddedKafkaExtension;
import dev.kappa.reprocessing.JobHost.Retirement;
import dev.kappa.reprocessing.SiteReadings.Total;
import dev.kappa.reprocessing.query.Answer;
import dev.kappa.reprocessing.query.KeyElsewhereException;
import dev.kappa.reprocessing.query.WindowValue;
import dev.kappa.reprocessing.registry.CommandRefusedException;
import dev.kappa.reprocessing.registry.VersionStatus;
import dev.kappa.reprocessing.replay.ReplayPlan;
import dev.kappa.reprocessing.replay.ReplayProgress;
import dev.kappa.topology.runtime.JobConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole reprocessing loop on a real broker, with two instances of the job in one process (same
 * application ids, separate state directories) and readings arriving all the time: v1 serves, v2
 * replays beside it with measured progress, a swap before catch-up is refused, the swap after it
 * reaches both instances, a rollback returns v1's answers, and retiring v1 deletes exactly what v1
 * owns while v2 keeps running.
 */
class ReprocessingLoopIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final String JOB = "sites";
  private static final JobVersion V1 = JobVersion.of(JOB, 1);
  private static final JobVersion V2 = JobVersion.of(JOB, 2);
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @TempDir Path stateA;
  @TempDir Path stateB;

  private static JobHost host(Path state, String server) {
    JobConfig config =
        JobConfig.builder(kafka.bootstrapServers())
            .stateDirectory(state)
            .set(StreamsConfig.APPLICATION_SERVER_CONFIG, server)
            .build();
    return JobHost.builder(config)
        .version(1, SiteReadings.all(JOB))
        .version(2, SiteReadings.large(JOB))
        .settings(
            ReplaySettings.defaults()
                .withSettlingPeriod(Duration.ofSeconds(2))
                .withCheckInterval(Duration.ofMillis(250)))
        .registryTopic("loop-registry")
        .start();
  }

  @Test
  void shouldReplaySwapRollBackAndRetireOnTwoInstancesWithoutLosingARecord() throws Exception {
    kafka.get().createTopic(SiteReadings.READINGS.topic(), 3, Map.of("retention.ms", "-1"));
    // Topics of a v10 and of a job whose name starts the same: retiring v1 must leave them alone.
    Set<String> decoys =
        Set.of("sites-v10-alerts", "sites-v10-totals-by-site-changelog", "sites-east-v1-alerts");
    decoys.forEach(topic -> kafka.get().createTopic(topic, 1, Map.of()));

    try (Workload workload = new Workload(kafka.bootstrapServers(), Duration.ofMillis(2));
        JobHost a = host(stateA, "localhost:7001");
        JobHost b = host(stateB, "localhost:7002");
        Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      a.startVersion(JOB, 1, StartOptions.defaults());
      await().atMost(TIMEOUT).until(() -> running(a, V1) && running(b, V1));
      CompletableFuture<Void> producing =
          CompletableFuture.runAsync(() -> workload.produceLive(2000));
      await().atMost(TIMEOUT).until(() -> workload.produced() >= 30_000);

      // v2 replays the 30,000+ readings so far beside v1, while more arrive.
      ReplayPlan plan = a.startVersion(JOB, 2, StartOptions.defaults());
      Instant replayStarted = Instant.now();
      assertThat(plan.records()).isGreaterThanOrEqualTo(30_000);
      assertThatThrownBy(() -> a.swap(JOB, 2))
          .isInstanceOf(CommandRefusedException.class)
          .hasMessage(
              "Cannot swap job 'sites' to v2: v2 has not caught up. Wait for catch-up (see its"
                  + " replay progress) or force the swap.");

      List<ReplayProgress> seen = new ArrayList<>();
      Instant[] reachedTarget = new Instant[1];
      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                a.progress(V2)
                    .ifPresent(
                        progress -> {
                          if (seen.isEmpty()
                              || !seen.get(seen.size() - 1).at().equals(progress.at())) {
                            seen.add(progress);
                            System.out.println("progress: " + progress);
                          }
                          if (reachedTarget[0] == null && progress.reachedTarget()) {
                            reachedTarget[0] = progress.at();
                          }
                        });
                return a.history(JOB).version(2).orElseThrow().status() == VersionStatus.CAUGHT_UP;
              });
      double seconds = Duration.between(replayStarted, reachedTarget[0]).toMillis() / 1000.0;
      System.out.printf(
          "REPLAY: v2 replayed %,d records in %.1f s: %,.0f records/s (while v1 served and 2,000"
              + " readings/s arrived)%n",
          plan.records(), seconds, plan.records() / seconds);
      assertThat(seen).extracting(ReplayProgress::replayed).isSorted();
      assertThat(seen.get(0).fraction()).isLessThan(1);
      assertThat(seen.get(seen.size() - 1).fraction()).isEqualTo(1);
      assertThat(seen).anyMatch(progress -> progress.recordsPerSecond() > 0);
      assertThat(seen).allMatch(progress -> progress.lateDropped() == 0);
      assertThat(seen.get(seen.size() - 1).partitions()).hasSize(3);
      // The same progress is published as metrics.
      ObjectName v2Metrics =
          new ObjectName(
              "kappa:type=kappa-replay-metrics,job=sites,version=2,instance=\"localhost:7001\"");
      assertThat(
              (Double)
                  ManagementFactory.getPlatformMBeanServer()
                      .getAttribute(v2Metrics, "replayed-records"))
          .isEqualTo((double) seen.get(seen.size() - 1).replayed());

      // Swap: both instances serve v2, within a time we measure.
      long swapStarted = System.nanoTime();
      a.swap(JOB, 2);
      await().atMost(TIMEOUT).until(() -> b.activeVersion(JOB).orElse(0) == 2);
      long swapSeen = System.nanoTime();
      await()
          .atMost(TIMEOUT)
          .ignoreExceptions()
          .until(
              () ->
                  servedBy(a, "site-0", Optional.empty()).equals(V2)
                      && servedBy(b, "site-0", Optional.empty()).equals(V2));
      long swapServed = System.nanoTime();
      System.out.printf(
          "SWAP: both instances saw v2 active %.1f ms after the swap command, and answered from it"
              + " after %.1f ms%n",
          (swapSeen - swapStarted) / 1e6, (swapServed - swapStarted) / 1e6);

      workload.stop();
      producing.get();
      assertThat(workload.produced()).isGreaterThan(plan.records());
      // v2's answers include every reading, also those produced while it replayed and after.
      awaitAnswers(a, b, workload, Optional.empty(), true, V2);
      // A range of keys comes from the partitions each instance holds: together, every sensor
      // (asked again while a partition still moves to b, which started v2 after it caught up).
      await()
          .atMost(TIMEOUT)
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                Map<String, Total> merged = new TreeMap<>();
                for (JobHost host : List.of(a, b)) {
                  host.queries()
                      .table(JOB, SiteReadings.BY_SENSOR)
                      .range(null, null)
                      .value()
                      .forEach(row -> merged.put(row.key, row.value));
                }
                assertThat(merged.keySet()).isEqualTo(workload.sensors());
                merged.forEach(
                    (sensor, total) ->
                        assertThat(total).isEqualTo(workload.expectedTotal(sensor, true)));
              });

      // Rollback: v1 answers again, with its own logic (every reading counted).
      a.rollback(JOB);
      await().atMost(TIMEOUT).until(() -> b.activeVersion(JOB).orElse(0) == 1);
      awaitAnswers(a, b, workload, Optional.empty(), false, V1);
      // ... and v2 can still be asked for by number.
      awaitAnswers(a, b, workload, Optional.of(2), true, V2);

      // Retire v1 after swapping forward again: exactly v1's topics, group and state go.
      a.swap(JOB, 2);
      Set<String> before = admin.listTopics().names().get();
      Set<String> v1Topics = new TreeSet<>(V1.ownedTopics(a.topology(V1).orElseThrow()));
      v1Topics.retainAll(before);
      assertThat(v1Topics).contains("sites-v1-totals-by-site-changelog", "sites-v1-alerts");

      Retirement retirement = a.retire(JOB, 1);

      assertThat(retirement.deletedTopics()).isEqualTo(v1Topics);
      assertThatThrownBy(() -> a.retire(JOB, 2))
          .isInstanceOf(CommandRefusedException.class)
          .hasMessage(
              "Cannot retire 'sites' v2: it is the active version. Swap to another version first.");
      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () ->
                  assertThat(admin.listTopics().names().get())
                      .doesNotContainAnyElementsOf(v1Topics));
      Set<String> after = admin.listTopics().names().get();
      Set<String> others = new TreeSet<>(before);
      others.removeAll(v1Topics);
      assertThat(after)
          .containsAll(others)
          .containsAll(decoys)
          .contains("readings", "sites-v2-alerts");
      assertThat(admin.listGroups().all().get())
          .extracting(GroupListing::groupId)
          .contains("sites-v2")
          .doesNotContain("sites-v1");
      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  !Files.exists(V1.stateDirectory(stateA))
                      && !Files.exists(V1.stateDirectory(stateB)));
      assertThat(V2.stateDirectory(stateA)).exists();
      assertThat(a.runningVersions()).containsExactly(V2);
      assertThat(b.runningVersions()).containsExactly(V2);
      awaitAnswers(a, b, workload, Optional.empty(), true, V2);
    }
  }

  private static boolean running(JobHost host, JobVersion version) {
    return host.running(version)
        .map(job -> job.state() == KafkaStreams.State.RUNNING)
        .orElse(false);
  }

  /** The version whose store {@code host} answers a query of {@code site} from, wherever it is. */
  private static JobVersion servedBy(JobHost host, String site, Optional<Integer> version) {
    return view(host, version).locate(site).version();
  }

  private static dev.kappa.reprocessing.query.TableQueries.TableView<String, Total> view(
      JobHost host, Optional<Integer> version) {
    var view = host.queries().table(JOB, SiteReadings.BY_SITE);
    return version.map(view::inVersion).orElse(view);
  }

  /** Asks {@code hosts} in turn until one holds the key. */
  private static <T> Answer<T> onEither(List<JobHost> hosts, Function<JobHost, Answer<T>> query) {
    KeyElsewhereException elsewhere = null;
    for (JobHost host : hosts) {
      try {
        return query.apply(host);
      } catch (KeyElsewhereException e) {
        elsewhere = e;
      }
    }
    throw elsewhere;
  }

  /** Waits until every window and sensor total, asked of whichever instance holds it, is right. */
  private static void awaitAnswers(
      JobHost a,
      JobHost b,
      Workload workload,
      Optional<Integer> version,
      boolean onlyLarge,
      JobVersion expected) {
    await()
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              for (int site = 0; site < Workload.sites(); site++) {
                String name = Workload.site(site);
                Answer<List<WindowValue<Total>>> answer =
                    onEither(
                        List.of(a, b),
                        host ->
                            view(host, version)
                                .windows(
                                    name,
                                    Workload.START.minus(Duration.ofHours(1)),
                                    Workload.START.plus(Duration.ofDays(1))));
                assertThat(answer.version()).isEqualTo(expected);
                Map<Instant, Total> windows = new TreeMap<>();
                answer.value().forEach(window -> windows.put(window.start(), window.value()));
                assertThat(windows)
                    .as("windows of %s", name)
                    .isEqualTo(workload.expectedWindows(name, onlyLarge));
              }
              for (String sensor : workload.sensors()) {
                Answer<Optional<Total>> total =
                    onEither(
                        List.of(a, b),
                        host -> {
                          var table = host.queries().table(JOB, SiteReadings.BY_SENSOR);
                          return version.map(table::inVersion).orElse(table).get(sensor);
                        });
                assertThat(total.value().orElse(Total.NONE))
                    .as("total of %s", sensor)
                    .isEqualTo(workload.expectedTotal(sensor, onlyLarge));
              }
            });
  }
}
