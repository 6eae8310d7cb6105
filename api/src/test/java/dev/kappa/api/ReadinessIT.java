package dev.kappa.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kappa.api.ServiceInstance.Reply;
import dev.kappa.embedded.EmbeddedKafkaExtension;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An instance that starts with an empty state directory restores its active version's stores from
 * their changelogs: meanwhile it is not ready, and queries answer 503 with Retry-After, never an
 * empty answer; once restored it is ready and answers.
 */
class ReadinessIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final int METERS = 8_000;
  private static final Duration TIMEOUT = Duration.ofSeconds(180);
  private static final String KEY = "/jobs/meters/tables/totals-by-meter/keys/";

  @Test
  void shouldBeUnreadyAndAnswer503WhileTheActiveVersionRestores() throws Exception {
    kafka.get().createTopic(MeterReadings.READINGS.topic(), 2, Map.of("retention.ms", "-1"));
    Readings readings = new Readings(METERS * 2, METERS, 3);
    readings.produce(kafka.bootstrapServers());
    int meters = readings.byMeter(0).size();
    String lastMeter = readings.all().get(readings.all().size() - 1).meter();
    try (ServiceInstance first =
        ServiceInstance.start(
            kafka.bootstrapServers(),
            Files.createTempDirectory("ready-1"),
            "ready-registry",
            Map.of())) {
      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () ->
                  assertThat(
                          first
                              .get("/jobs/meters/tables/totals-by-meter/keys?limit=100000")
                              .json()
                              .get("count")
                              .asInt())
                      .isEqualTo(meters));
    }

    // A new instance with no local state: it restores about 8,000 records of the meters' store, two
    // records per restore poll, so that the restoration lasts long enough to be watched (seconds),
    // and queries give up at once instead of waiting for the store, so that polls come often.
    List<Reply> readiness = new ArrayList<>();
    List<Reply> queries = new ArrayList<>();
    try (ServiceInstance second =
        ServiceInstance.start(
            kafka.bootstrapServers(),
            Files.createTempDirectory("ready-2"),
            "ready-registry",
            Map.of(
                "kappa.kafka.restore.consumer.max.poll.records", "2",
                "kappa.routing.not-ready-wait", "1ms"))) {
      // Every readiness answer until it is UP, and a query beside each DOWN one.
      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(10))
          .untilAsserted(
              () -> {
                Reply ready = second.get("/health/readiness");
                if (ready.status() == 503) {
                  readiness.add(ready);
                  queries.add(second.get(KEY + lastMeter));
                }
                assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
              });
      Reply answer = second.get(KEY + lastMeter);
      assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
      assertThat(answer.json().get("value").get("count").asLong()).isPositive();
    }

    System.out.printf(
        "READINESS: %d replies DOWN before ready; %d queries meanwhile, %d of them 503%n",
        readiness.size(),
        queries.size(),
        queries.stream().filter(query -> query.status() == 503).count());
    assertThat(readiness)
        .as("readiness while restoring")
        .anySatisfy(
            reply -> {
              assertThat(reply.status()).isEqualTo(503);
              assertThat(reply.body()).contains("\"status\":\"DOWN\"", "restoring");
            });
    assertThat(queries).as("queries while restoring").isNotEmpty();
    for (Reply query : queries) {
      // Not ready is never an empty answer: 503 with Retry-After (or the answer, once its
      // partition is restored).
      if (query.status() != 200) {
        assertThat(query.status()).as(query.toString()).isEqualTo(503);
        assertThat(query.retryAfter()).isPresent();
        assertThat(query.contentType()).startsWith("application/problem+json");
      }
    }
    assertThat(queries).anySatisfy(query -> assertThat(query.status()).isEqualTo(503));
  }
}
