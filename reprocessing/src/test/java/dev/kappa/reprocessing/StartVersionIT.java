package dev.kappa.reprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kappa.embedded.EmbeddedKafkaExtension;
import dev.kappa.reprocessing.registry.CommandRefusedException;
import dev.kappa.reprocessing.registry.JobHistory;
import dev.kappa.reprocessing.registry.VersionStatus;
import dev.kappa.reprocessing.replay.IncompleteHistoryException;
import dev.kappa.reprocessing.replay.ReplayPlan;
import dev.kappa.reprocessing.replay.ReplayProgress;
import dev.kappa.serde.Codec;
import dev.kappa.topology.KappaJob;
import dev.kappa.topology.ServingTable;
import dev.kappa.topology.Source;
import dev.kappa.topology.runtime.JobConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.kstream.Grouped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting a version: the retention check on its sources, the rules of the registry, the first
 * version started by the hosts themselves, and waiting for a version to catch up. The tests share
 * one broker; each has its own source topic, job and registry.
 */
class StartVersionIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final ServingTable<String, Long> BY_PAGE =
      ServingTable.keyValue("clicks-by-page", Codec.string(), Codec.longs());

  @TempDir Path state;

  @Test
  void shouldRefuseToReplaySourcesWhoseHistoryWasDeletedNamingThem() throws Exception {
    // A finite retention that still keeps the workload's records, stamped 30 days ago: the broker's
    // own retention check must not delete more than the test does.
    kafka
        .get()
        .createTopic(
            "readings", 3, Map.of("retention.ms", Long.toString(Duration.ofDays(365).toMillis())));
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
                  + " start at offsets [100, 50] (retention.ms=31536000000, retention.bytes=-1), so"
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

  @Test
  void shouldStartTheFirstVersionOnceWhenInstancesStartTogetherThenAwaitEachCatchUp()
      throws Exception {
    String job = "first";
    Source<String, String> clicks = clicks("first-clicks", 1_000);
    KappaJob code = countByPage(job, clicks);
    JobVersion v1 = JobVersion.of(job, 1);
    JobVersion v2 = JobVersion.of(job, 2);
    List<String> names = List.of("host-a", "host-b", "host-c");
    ExecutorService starting = Executors.newFixedThreadPool(names.size());
    List<JobHost> hosts = new ArrayList<>();
    try {
      // Three instances of a new deployment start at once, each told to start the first version.
      CountDownLatch go = new CountDownLatch(1);
      List<Future<JobHost>> started = new ArrayList<>();
      for (String name : names) {
        started.add(
            starting.submit(
                () -> {
                  go.await();
                  return host(name, "first-registry", code, true);
                }));
      }
      go.countDown();
      for (Future<JobHost> host : started) {
        hosts.add(host.get(2, TimeUnit.MINUTES));
      }
      JobHost a = hosts.get(0);
      JobHost b = hosts.get(1);
      JobHost c = hosts.get(2);

      // One of them started v1, once; none failed because another one came first.
      JobHistory first = a.history(job);
      assertThat(first.versions().keySet()).containsExactly(1);
      assertThat(first.active()).hasValue(1);
      assertThat(first.version(1).orElseThrow().startedBy()).isIn(names);
      assertThat(first.version(1).orElseThrow().partialHistory()).isTrue();
      assertThat(a.registry().problems()).isEmpty();

      JobHistory v1CaughtUp = b.awaitCaughtUp(v1, TIMEOUT);
      assertThat(v1CaughtUp.version(1).orElseThrow().status()).isEqualTo(VersionStatus.CAUGHT_UP);

      // v2 is started on one instance and waited for on another.
      a.startVersion(job, 2, StartOptions.defaults());
      JobHistory v2CaughtUp = c.awaitCaughtUp(v2, TIMEOUT);
      assertThat(v2CaughtUp.version(2).orElseThrow().status()).isEqualTo(VersionStatus.CAUGHT_UP);
      assertThat(v2CaughtUp.version(2).orElseThrow().lateDropped()).isZero();
      // Each instance follows the registry on its own: the one that swaps waits until it, too,
      // lists v2 as caught up.
      a.awaitCaughtUp(v2, TIMEOUT);
      a.swap(job, 2);
      a.retire(job, 1);

      // An instance that starts later finds versions listed: it starts none, not even the retired
      // v1, and runs v2.
      long sequence = a.history(job).sequence();
      JobHost d = host("host-d", "first-registry", code, true);
      hosts.add(d);
      assertThat(d.history(job).sequence()).isEqualTo(sequence);
      assertThat(d.history(job).version(1).orElseThrow().status()).isEqualTo(VersionStatus.RETIRED);
      await().atMost(TIMEOUT).until(() -> d.runningVersions().equals(Set.of(v2)));
      await().atMost(TIMEOUT).ignoreExceptions().until(() -> totalClicks(hosts, job) == 1_000);
    } finally {
      starting.shutdownNow();
      hosts.forEach(JobHost::close);
    }
  }

  @Test
  void shouldFailAWaitForCatchUpWithItsReasonWhenTimedOutRetiredOrNeverStarted() throws Exception {
    String job = "waits";
    Source<String, String> clicks = clicks("wait-clicks", 300);
    JobVersion v2 = JobVersion.of(job, 2);
    // A settling period that never ends: the versions replay everything and never catch up.
    ReplaySettings neverCaughtUp =
        ReplaySettings.defaults()
            .withSettlingPeriod(Duration.ofHours(1))
            .withCheckInterval(Duration.ofMillis(250));
    try (JobHost host =
        JobHost.builder(
                JobConfig.builder(kafka.bootstrapServers())
                    .stateDirectory(state.resolve("wait-host"))
                    .build())
            .version(1, countByPage(job, clicks))
            .version(2, countByPage(job, clicks))
            .settings(neverCaughtUp)
            .registryTopic("wait-registry")
            .instance("wait-host")
            .start()) {
      host.startVersion(job, 1, StartOptions.defaults());
      host.startVersion(job, 2, StartOptions.defaults());
      await()
          .atMost(TIMEOUT)
          .until(() -> host.progress(v2).map(ReplayProgress::reachedTarget).orElse(false));

      assertThatThrownBy(() -> host.awaitCaughtUp(v2, Duration.ofMillis(500)))
          .isInstanceOfSatisfying(
              CatchUpTimeoutException.class,
              e -> {
                assertThat(e.version()).isEqualTo(v2);
                assertThat(e.progress())
                    .hasValueSatisfying(p -> assertThat(p.target()).isEqualTo(300));
              })
          .hasMessageStartingWith(
              "'waits' v2 has not caught up within PT0.5S: the registry lists it as REPLAYING. Its"
                  + " progress on host wait-host: 'waits' v2: replayed all 300 records;")
          .hasMessageEndingWith(
              ". Wait longer, or swap to it with force to serve tables built from part of the"
                  + " log.");
      assertThatThrownBy(() -> host.awaitCaughtUp(JobVersion.of(job, 7), Duration.ofMillis(500)))
          .isInstanceOf(CatchUpTimeoutException.class)
          .hasMessage(
              "'waits' v7 has not caught up within PT0.5S: it was never started. The registry lists"
                  + " [v1 REPLAYING (active), v2 REPLAYING]. Start it with JobHost#startVersion, on"
                  + " any instance.");

      // A wait that the registry ends: v2 is retired while someone waits for it.
      CompletableFuture<JobHistory> waited = new CompletableFuture<>();
      Thread waiter =
          new Thread(
              () -> {
                try {
                  waited.complete(host.awaitCaughtUp(v2, Duration.ofMinutes(10)));
                } catch (RuntimeException e) {
                  waited.completeExceptionally(e);
                }
              });
      waiter.start();
      await().until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
      host.retire(job, 2);

      assertThatThrownBy(() -> waited.get(30, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "Cannot wait for 'waits' v2 to catch up: it is retired, and a retired version never"
                  + " runs again. Start a new version number instead, for example v3.");
    }
  }

  private JobHost host(String name, String registry, KappaJob code, boolean startFirst) {
    JobHost.Builder builder =
        JobHost.builder(
                JobConfig.builder(kafka.bootstrapServers())
                    .stateDirectory(state.resolve(name))
                    .build())
            .version(1, code)
            .version(2, code)
            .settings(
                ReplaySettings.defaults()
                    .withSettlingPeriod(Duration.ofSeconds(1))
                    .withCheckInterval(Duration.ofMillis(250)))
            .registryTopic(registry)
            .instance(name);
    return (startFirst ? builder.startingFirstVersions() : builder).start();
  }

  /** The source {@code topic}, created with three partitions and {@code count} clicks on pages. */
  private static Source<String, String> clicks(String topic, int count) throws Exception {
    kafka.get().createTopic(topic, 3, Map.of("retention.ms", "-1"));
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
            new StringSerializer(),
            new StringSerializer())) {
      for (int i = 0; i < count; i++) {
        producer.send(new ProducerRecord<>(topic, "page-" + i % 7, "click-" + i));
      }
      producer.flush();
    }
    return Source.of(topic, Codec.string(), Codec.string());
  }

  /** Counts the clicks of each page. */
  private static KappaJob countByPage(String job, Source<String, String> clicks) {
    return KappaJob.named(job)
        .source(clicks)
        .servingTable(BY_PAGE)
        .topology(
            b ->
                b.aggregate(
                    b.stream(clicks)
                        .groupByKey(
                            Grouped.with(
                                "clicks-by-key", clicks.keys().serde(), clicks.values().serde())),
                    BY_PAGE,
                    () -> 0L,
                    (page, click, count) -> count + 1))
        .build();
  }

  /** The clicks counted by the active version, over the pages each of {@code hosts} holds. */
  private static long totalClicks(List<JobHost> hosts, String job) {
    long total = 0;
    for (JobHost host : hosts) {
      for (var row : host.queries().table(job, BY_PAGE).range(null, null).value()) {
        total += row.value;
      }
    }
    return total;
  }
}
