package dev.kappa.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kappa.api.MeterReadings.Total;
import dev.kappa.api.ServiceInstance.Reply;
import dev.kappa.embedded.EmbeddedKafka;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A service started before its Kafka cluster answers: the server runs, says within seconds that it
 * cannot reach Kafka, naming the address and the reason, in its readiness and in the 503 problem of
 * a query; when a broker answers at that address, it starts its jobs by itself and serves them.
 * When that broker is then lost, the service says so within seconds in the same way (its readiness
 * goes DOWN, its queries are answered from local state), and when the broker restarts, it becomes
 * ready again and counts the readings that arrive, by itself.
 */
class UnreachableKafkaIT {

  private static final Duration SAYS_SO_WITHIN = Duration.ofSeconds(15);
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final String KEY = "/jobs/meters/tables/totals-by-meter/keys/";

  @Test
  void shouldSayKafkaCannotBeReachedAndStartByItselfWhenItAnswers() throws Exception {
    int port = EmbeddedKafka.freePortNow();
    String bootstrap = "localhost:" + port;
    String unreachable = "Cannot reach Kafka at " + bootstrap;
    Instant started = Instant.now();
    try (ServiceInstance service =
        ServiceInstance.start(
            bootstrap,
            Files.createTempDirectory("unreachable"),
            "unreachable-registry",
            // v1 is started below, once its source topic exists.
            Map.of("kappa.start-first-versions", "false"))) {
      Reply readiness = service.get("/health/readiness");
      Duration saidSoAfter = Duration.between(started, Instant.now());
      assertThat(readiness.status()).as(readiness.toString()).isEqualTo(503);
      assertThat(readiness.body()).contains("\"status\":\"DOWN\"", unreachable);
      assertThat(saidSoAfter).isLessThan(SAYS_SO_WITHIN);
      Reply query = service.get(KEY + Readings.meter(1));
      assertThat(query.status()).as(query.toString()).isEqualTo(503);
      assertThat(query.retryAfter()).isPresent();
      assertThat(query.json().get("detail").asText()).contains(unreachable);

      Readings readings = new Readings(2_000, 50, 7);
      try (EmbeddedKafka kafka = EmbeddedKafka.startOnPort(port)) {
        kafka.createTopic(MeterReadings.READINGS.topic(), 2, Map.of("retention.ms", "-1"));
        readings.produce(bootstrap);
        await()
            .atMost(TIMEOUT)
            .until(
                () ->
                    service
                            .post(
                                "/admin/jobs/meters/versions",
                                "{\"version\":1,\"acceptPartialHistory\":true}",
                                ServiceInstance.ADMIN_TOKEN)
                            .status()
                        == 202);
        Total expected = readings.byMeter(0).get(Readings.meter(1));
        await()
            .atMost(TIMEOUT)
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(
                () -> {
                  Reply answer = service.get(KEY + Readings.meter(1));
                  assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
                  assertThat(answer.json().get("value").get("count").asLong())
                      .isEqualTo(expected.count());
                  assertThat(answer.json().get("value").get("bytes").asLong())
                      .isEqualTo(expected.bytes());
                });
        assertThat(service.get("/health/readiness").status()).isEqualTo(200);
        System.out.printf(
            "UNREACHABLE KAFKA: said so after %d ms; served %s once the broker answered%n",
            saidSoAfter.toMillis(), Readings.meter(1));

        // The broker is lost while the service runs, then restarts with its logs.
        kafka.stop();
        Instant lost = Instant.now();
        await()
            .atMost(SAYS_SO_WITHIN)
            .pollInterval(Duration.ofMillis(200))
            .untilAsserted(
                () -> {
                  Reply down = service.get("/health/readiness");
                  assertThat(down.status()).as(down.toString()).isEqualTo(503);
                  assertThat(down.body()).contains("\"status\":\"DOWN\"", unreachable);
                });
        Duration lostSaidAfter = Duration.between(lost, Instant.now());
        // Queries are answered from local state meanwhile.
        Reply stale = service.get(KEY + Readings.meter(1));
        assertThat(stale.status()).as(stale.toString()).isEqualTo(200);
        // What needs Kafka says at once that it does not answer, with when to ask again.
        for (Reply needsKafka :
            List.of(
                service.get("/jobs/meters/dead-letters"),
                service.post("/admin/jobs/meters/swap", "{\"to\":1}", ServiceInstance.ADMIN_TOKEN),
                service.get(
                    "/admin/jobs/meters/versions/1/progress", ServiceInstance.ADMIN_TOKEN))) {
          assertThat(needsKafka.status()).as(needsKafka.toString()).isEqualTo(503);
          assertThat(needsKafka.retryAfter()).isPresent();
          assertThat(needsKafka.json().get("type").asText()).endsWith("/kafka-unavailable");
          assertThat(needsKafka.json().get("detail").asText()).contains(unreachable);
        }
        // An anonymous caller learns no more than before.
        assertThat(service.post("/admin/jobs/meters/swap", "{\"to\":1}", null).status())
            .isEqualTo(401);
        // It stays so while the broker is gone: a few failed attempts of its clients and its watch.
        await()
            .during(Duration.ofSeconds(5))
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> service.get("/health/readiness").status() == 503);
        kafka.restart();
        Instant back = Instant.now();
        Readings more = new Readings(1_000, 50, 8);
        more.produce(bootstrap);
        Total added = more.byMeter(0).get(Readings.meter(1));
        Total both = new Total(expected.count() + added.count(), expected.bytes() + added.bytes());
        await()
            .atMost(TIMEOUT)
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(
                () -> {
                  assertThat(service.get("/health/readiness").status()).isEqualTo(200);
                  Reply answer = service.get(KEY + Readings.meter(1));
                  assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
                  assertThat(answer.json().get("value").get("count").asLong())
                      .isEqualTo(both.count());
                  assertThat(answer.json().get("value").get("bytes").asLong())
                      .isEqualTo(both.bytes());
                });
        System.out.printf(
            "LOST KAFKA: said so after %d ms; ready and counting again %d ms after the broker"
                + " restarted%n",
            lostSaidAfter.toMillis(), Duration.between(back, Instant.now()).toMillis());
      }
    }
  }
}
