package dev.kappa.reprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kappa.embedded.EmbeddedKafkaExtension;
import dev.kappa.reprocessing.registry.VersionStatus;
import dev.kappa.topology.runtime.JobConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backlog whose event time is a month old ({@link Workload#START}), replayed on a broker that
 * applies retention every second. Kafka Streams would create the window stores' changelogs with a
 * retention of 8 days against the broker's clock, so the broker would delete them as they are
 * written. The version must keep them as long as its stores keep the windows: an instance that
 * starts afresh after it has caught up restores every window exactly from them.
 */
class OldBacklogIT {

  @RegisterExtension
  static final EmbeddedKafkaExtension kafka =
      new EmbeddedKafkaExtension(
          Map.of("log.retention.check.interval.ms", "1000", "log.initial.task.delay.ms", "0"));

  private static final String JOB = "old";
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  @TempDir Path stateFirst;
  @TempDir Path stateSecond;

  @Test
  void shouldRestoreEveryWindowOfAMonthOldBacklogFromTheChangelogs() throws Exception {
    kafka
        .get()
        .createTopic(
            SiteReadings.READINGS.topic(), 4, Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"));
    JobVersion v1 = JobVersion.of(JOB, 1);
    try (Workload workload = new Workload(kafka.bootstrapServers(), Duration.ofMillis(100));
        Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      workload.produce(20_000);
      Instant newestReading = Workload.START.plus(Duration.ofMillis(100).multipliedBy(20_000));
      Map<String, Duration> changelogs;
      String deadLetters;

      try (JobHost first = host(stateFirst, "first")) {
        first.startVersion(JOB, 1, StartOptions.defaults());
        SiteWindows.awaitExact(List.of(first), JOB, 1, workload, false, TIMEOUT);
        await()
            .atMost(TIMEOUT)
            .until(
                () ->
                    first.history(JOB).version(1).orElseThrow().status()
                        == VersionStatus.CAUGHT_UP);
        changelogs = first.topology(v1).orElseThrow().windowedChangelogs();
        deadLetters = first.topology(v1).orElseThrow().deadLetterTopic();
        assertThat(changelogs).isNotEmpty();
        // Once caught up, each keeps its store's retention behind the newest reading, not behind
        // the clock: at least the store's retention plus the reading's age, but no longer forever.
        Duration age = Duration.between(newestReading, Instant.now());
        await()
            .atMost(TIMEOUT)
            .untilAsserted(
                () -> {
                  for (Map.Entry<String, Duration> changelog : changelogs.entrySet()) {
                    Duration kept = changelog.getValue().plus(age);
                    assertThat(
                            Duration.ofMillis(
                                Long.parseLong(
                                    kafka
                                        .get()
                                        .topicConfig(
                                            changelog.getKey(), TopicConfig.RETENTION_MS_CONFIG))))
                        .as("retention of %s", changelog.getKey())
                        .isGreaterThan(kept)
                        .isLessThan(kept.plus(Duration.ofDays(4)));
                  }
                });
        // A month-old record in a topic kept for a day: once the broker has deleted it, it has
        // applied retention after the changelogs' retention was set.
        awaitRetentionPass(admin);
      }

      assertThat(deletedRecords(admin, changelogs.keySet()))
          .as("records deleted from the changelogs by their retention")
          .isZero();
      // One reading in 500 is invalid. Its dead letter is timestamped when it was sent, so the
      // topic's retention (the broker's default, 7 days) keeps it.
      assertThat(deletedRecords(admin, List.of(deadLetters)))
          .as("dead letters deleted by retention")
          .isZero();
      assertThat(kafka.get().readCommitted(deadLetters, 0, TIMEOUT))
          .hasSize((int) (workload.produced() / 500));
      try (JobHost second = host(stateSecond, "second")) {
        SiteWindows.awaitExact(List.of(second), JOB, 1, workload, false, TIMEOUT);
        System.out.printf(
            "OLD BACKLOG: %,d readings a month old, every window restored from %d changelogs%n",
            workload.produced(), changelogs.size());
      }
    }
  }

  private static JobHost host(Path state, String instance) {
    JobConfig config = JobConfig.builder(kafka.bootstrapServers()).stateDirectory(state).build();
    return JobHost.builder(config)
        .version(1, SiteReadings.all(JOB))
        .settings(ReplaySettings.defaults().withCheckInterval(Duration.ofMillis(250)))
        .registryTopic("old-registry")
        .instance(instance)
        .start();
  }

  private static void awaitRetentionPass(Admin admin) throws Exception {
    String canary = "retention-canary";
    kafka.get().createTopic(canary, 1, Map.of(TopicConfig.RETENTION_MS_CONFIG, "86400000"));
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      producer
          .send(new ProducerRecord<>(canary, 0, Workload.START.toEpochMilli(), null, new byte[1]))
          .get();
    }
    await().atMost(TIMEOUT).until(() -> deletedRecords(admin, List.of(canary)) > 0);
  }

  /** The records deleted from the start of the topics' partitions: their earliest offsets. */
  private static long deletedRecords(Admin admin, Collection<String> topics) throws Exception {
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get().values()) {
      topic
          .partitions()
          .forEach(
              partition ->
                  earliest.put(
                      new TopicPartition(topic.name(), partition.partition()),
                      OffsetSpec.earliest()));
    }
    return admin.listOffsets(earliest).all().get().values().stream()
        .mapToLong(info -> info.offset())
        .sum();
  }
}
