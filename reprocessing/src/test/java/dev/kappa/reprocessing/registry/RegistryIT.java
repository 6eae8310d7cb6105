package dev.kappa.reprocessing.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kappa.embedded.EmbeddedKafkaExtension;
import dev.kappa.reprocessing.registry.RegistryCommand.CaughtUp;
import dev.kappa.reprocessing.registry.RegistryCommand.Started;
import dev.kappa.reprocessing.registry.RegistryCommand.Swapped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The registry on a real broker: rebuilt after a restart, safe under concurrent writers. */
class RegistryIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static Registry open(String topic, String instance) {
    return Registry.open(kafka.bootstrapServers(), Map.of(), topic, instance);
  }

  private static String newTopic() {
    return "registry-" + UUID.randomUUID();
  }

  @Test
  void shouldRebuildTheSameHistoryAfterARestart() {
    String topic = newTopic();
    JobHistory before;
    try (Registry registry = open(topic, "a")) {
      registry.submit(new Started("sites", 1, false, false, "a"));
      registry.submit(new Started("sites", 2, false, true, "a"));
      registry.submit(new CaughtUp("sites", 2, 0));
      before = registry.submit(new Swapped("sites", 1, 2, false));
      registry.submit(new Started("other", 1, false, false, "a"));
    }

    try (Registry restarted = open(topic, "b")) {
      assertThat(restarted.loaded()).isTrue();
      assertThat(restarted.history("sites")).isEqualTo(before);
      assertThat(restarted.history("sites").active()).hasValue(2);
      assertThat(restarted.history("sites").previous()).hasValue(1);
      assertThat(restarted.histories()).containsOnlyKeys("sites", "other");
      assertThat(restarted.problems()).isEmpty();
    }
  }

  @Test
  void shouldFoldExactlyOneOfTwoConflictingCommandsOnEveryInstance() throws Exception {
    String topic = newTopic();
    try (Registry a = open(topic, "a");
        Registry b = open(topic, "b")) {
      a.submit(new Started("sites", 1, false, false, "a"));
      await().atMost(TIMEOUT).until(() -> b.history("sites").sequence() == 1);

      // Both instances start v2 at the same moment: one wins, the other is refused with a reason.
      ExecutorService threads = Executors.newFixedThreadPool(2);
      List<Future<JobHistory>> results = new ArrayList<>();
      for (Registry registry : List.of(a, b)) {
        Callable<JobHistory> start =
            () -> registry.submit(new Started("sites", 2, false, false, "a"));
        results.add(threads.submit(start));
      }
      int refused = 0;
      for (Future<JobHistory> result : results) {
        try {
          result.get();
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(e.getCause())
              .isInstanceOf(CommandRefusedException.class)
              .hasMessageStartingWith("Cannot start 'sites' v2: it was started before");
          refused++;
        }
      }
      threads.shutdown();

      assertThat(refused).isEqualTo(1);
      await().atMost(TIMEOUT).until(() -> a.position() == b.position());
      assertThat(a.history("sites")).isEqualTo(b.history("sites"));
      assertThat(a.history("sites").sequence()).isEqualTo(2);
      assertThatThrownBy(() -> b.submit(new Swapped("sites", 1, 2, false)))
          .isInstanceOf(CommandRefusedException.class)
          .hasMessageContaining("v2 has not caught up");
    }
  }

  @Test
  void shouldSkipMalformedAndUnknownRecordsWithTheirOffsets() {
    String topic = newTopic();
    try (Registry registry = open(topic, "a")) {
      registry.submit(new Started("sites", 1, false, false, "a"));
      JobHistory before = registry.history("sites");
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(
              Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        producer.send(record(topic, "sites/2/x", "not json"));
        producer.send(
            record(
                topic,
                "sites/2/y",
                "{\"sequence\":2,\"issuedAt\":\"2026-11-23T00:00:00Z\",\"issuedBy\":\"z\","
                    + "\"command\":{\"type\":\"paused\",\"job\":\"sites\",\"version\":1}}"));
        producer.flush();
      }
      await().atMost(TIMEOUT).until(() -> registry.problems().size() == 2);

      assertThat(registry.problems()).extracting(RegistryProblem::offset).containsExactly(1L, 2L);
      assertThat(registry.problems().get(1).reason())
          .startsWith("The record at offset 2 cannot be read")
          .contains("paused");
      assertThat(registry.history("sites")).isEqualTo(before);
      // The registry goes on: the next command is folded.
      assertThat(registry.submit(new Started("sites", 2, false, false, "a")).sequence())
          .isEqualTo(2);
    }
  }

  @Test
  void shouldRefuseARegistryTopicWithSeveralPartitions() {
    String topic = newTopic();
    kafka.get().createTopic(topic, 3, Map.of("cleanup.policy", "compact"));

    assertThatThrownBy(() -> open(topic, "a"))
        .hasMessage(
            "Cannot use '"
                + topic
                + "' as the registry topic: it has 3 partitions, and every instance must read the"
                + " commands in one order. Give the registry a topic with one partition and"
                + " cleanup.policy=compact.");
  }

  private static ProducerRecord<byte[], byte[]> record(String topic, String key, String value) {
    return new ProducerRecord<>(topic, 0, key.getBytes(UTF_8), value.getBytes(UTF_8));
  }
}
