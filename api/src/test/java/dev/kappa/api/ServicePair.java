package dev.kappa.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kappa.api.ServiceInstance.Reply;
import dev.kappa.embedded.EmbeddedKafkaExtension;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Two instances of the service, {@code a} and {@code b}, serving the meters job from readings
 * already in the test broker: what the tests that route between instances start with.
 */
record ServicePair(ServiceInstance a, ServiceInstance b) implements AutoCloseable {

  static final Duration TIMEOUT = Duration.ofSeconds(120);

  /**
   * Produces {@code readings} to a new topic of 4 partitions, starts two instances with their own
   * registry {@code name}, and waits until both answer the totals of every meter.
   */
  static ServicePair serving(EmbeddedKafkaExtension kafka, String name, Readings readings)
      throws Exception {
    kafka.get().createTopic(MeterReadings.READINGS.topic(), 4, Map.of("retention.ms", "-1"));
    readings.produce(kafka.bootstrapServers());
    ServicePair pair =
        new ServicePair(start(kafka, name + "-a", name), start(kafka, name + "-b", name));
    Map<String, MeterReadings.Total> totals = readings.byMeter(0);
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              for (ServiceInstance instance : List.of(pair.a(), pair.b())) {
                Reply range = instance.get("/jobs/meters/tables/totals-by-meter/keys");
                assertThat(range.status()).as(range.toString()).isEqualTo(200);
                assertThat(range.json().get("instances")).hasSize(2);
                Map<String, MeterReadings.Total> served = new java.util.TreeMap<>();
                range
                    .json()
                    .get("rows")
                    .forEach(
                        row ->
                            served.put(
                                row.get("key").asText(), ServingIT.totalOf(row.get("value"))));
                // Every reading has been counted, not only every meter seen.
                assertThat(served).isEqualTo(totals);
                // and the registry's state is settled: v1 has caught up.
                assertThat(instance.get("/jobs/meters").body())
                    .contains("\"status\":\"CAUGHT_UP\"");
              }
            });
    return pair;
  }

  private static ServiceInstance start(EmbeddedKafkaExtension kafka, String state, String registry)
      throws Exception {
    return ServiceInstance.start(
        kafka.bootstrapServers(),
        Files.createTempDirectory(state),
        registry + "-registry",
        Map.of());
  }

  @Override
  public void close() {
    b.close();
    a.close();
  }
}
