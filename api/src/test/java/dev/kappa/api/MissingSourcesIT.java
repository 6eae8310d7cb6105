package dev.kappa.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kappa.api.MeterReadings.Total;
import dev.kappa.api.ServiceInstance.Reply;
import dev.kappa.embedded.EmbeddedKafkaExtension;
import dev.kappa.serde.Codec;
import dev.kappa.topology.KappaJob;
import dev.kappa.topology.ServingTable;
import dev.kappa.topology.Source;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.kstream.Grouped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A service that hosts a job whose source topics do not exist yet: the other job starts and serves,
 * the instance is ready, and the job says what it waits for; a start of it by hand is a 409 that
 * names the topics; once they exist, the job's first version starts by itself and counts every
 * record.
 */
class MissingSourcesIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final Source<String, String> GAUGE_READINGS =
      Source.of("gauge-readings", Codec.string(), Codec.string());
  private static final ServingTable<String, Long> GAUGE_COUNTS =
      ServingTable.keyValue("gauge-counts", Codec.string(), Codec.longs());

  /** Counts the readings of each gauge. */
  private static VersionedJob gauges() {
    KappaJob job =
        KappaJob.named("gauges")
            .source(GAUGE_READINGS)
            .servingTable(GAUGE_COUNTS)
            .topology(
                builder ->
                    builder.aggregate(
                        builder.stream(GAUGE_READINGS)
                            .groupByKey(
                                Grouped.with(
                                    "gauge-readings-by-gauge",
                                    Codec.string().serde(),
                                    Codec.string().serde())),
                        GAUGE_COUNTS,
                        () -> 0L,
                        (gauge, reading, count) -> count + 1))
            .build();
    return VersionedJob.of(Map.of(1, job));
  }

  @Test
  void shouldServeTheOtherJobsAndStartAJobByItselfOnceItsSourcesExist() throws Exception {
    kafka.get().createTopic(MeterReadings.READINGS.topic(), 2, Map.of("retention.ms", "-1"));
    Readings readings = new Readings(500, 20, 11);
    readings.produce(kafka.bootstrapServers());
    Total meterOne = readings.byMeter(0).get(Readings.meter(1));
    try (ServiceInstance service =
        ServiceInstance.start(
            kafka.bootstrapServers(),
            Files.createTempDirectory("missing-sources"),
            "missing-sources-registry",
            Map.of(),
            List.of(gauges()))) {
      // The meters serve, and the instance is ready, while the gauges wait for their topic.
      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                Reply answer =
                    service.get("/jobs/meters/tables/totals-by-meter/keys/" + Readings.meter(1));
                assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
                assertThat(answer.json().get("value").get("count").asLong())
                    .isEqualTo(meterOne.count());
                Reply readiness = service.get("/health/readiness");
                assertThat(readiness.status()).as(readiness.toString()).isEqualTo(200);
              });
      String waiting =
          service
              .get("/health/readiness")
              .json()
              .at("/details/kappa/details/jobs/gauges/waitingForSources")
              .asText();
      assertThat(waiting).contains("[gauge-readings]", "do not exist");
      Reply job = service.get("/jobs/gauges");
      assertThat(job.json().get("waitingForSources").asText()).isEqualTo(waiting);
      assertThat(job.json().get("active").isNull()).isTrue();
      assertThat(service.get("/jobs/meters").json().get("waitingForSources").isNull()).isTrue();
      Reply byHand =
          service.post(
              "/admin/jobs/gauges/versions", "{\"version\":1}", ServiceInstance.ADMIN_TOKEN);
      assertThat(byHand.status()).as(byHand.toString()).isEqualTo(409);
      assertThat(byHand.json().get("type").asText()).endsWith("/missing-sources");
      assertThat(byHand.json().get("detail").asText()).contains("[gauge-readings]");

      // The topic comes, with readings; the gauges start by themselves and count all of them.
      kafka.get().createTopic(GAUGE_READINGS.topic(), 2, Map.of("retention.ms", "-1"));
      Map<String, Long> expected = new TreeMap<>();
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", kafka.bootstrapServers()),
              new StringSerializer(),
              new StringSerializer())) {
        Instant start = Instant.now().minusSeconds(600);
        for (int i = 0; i < 300; i++) {
          String gauge = "g-" + (i % 7);
          expected.merge(gauge, 1L, Long::sum);
          producer.send(
              new ProducerRecord<>(
                  GAUGE_READINGS.topic(),
                  null,
                  start.plusSeconds(i).toEpochMilli(),
                  gauge,
                  Integer.toString(i)));
        }
      }
      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                Reply started = service.get("/jobs/gauges");
                assertThat(started.json().get("active").asInt())
                    .as(started.toString())
                    .isEqualTo(1);
                assertThat(started.json().get("waitingForSources").isNull()).isTrue();
                for (Map.Entry<String, Long> gauge : expected.entrySet()) {
                  Reply count =
                      service.get("/jobs/gauges/tables/gauge-counts/keys/" + gauge.getKey());
                  assertThat(count.status()).as(count.toString()).isEqualTo(200);
                  assertThat(count.json().get("value").asLong()).isEqualTo(gauge.getValue());
                }
              });
      assertThat(
              service
                  .get("/health/readiness")
                  .json()
                  .at("/details/kappa/details/jobs/gauges")
                  .has("waitingForSources"))
          .isFalse();
    }
  }
}
