package dev.kappa.api.health;

import dev.kappa.api.host.ServingHost;
import dev.kappa.reprocessing.JobHost;
import dev.kappa.reprocessing.JobVersion;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Liveness;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.reactivestreams.Publisher;

/**
 * Alive unless a version here has failed for good (Kafka Streams state ERROR, which it does not
 * leave): then restarting the instance is the cure.
 */
@Singleton
@Liveness
final class StreamsLiveness implements HealthIndicator {

  private final ServingHost serving;

  StreamsLiveness(ServingHost serving) {
    this.serving = serving;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    List<String> failed = serving.current().map(StreamsLiveness::failedVersions).orElse(List.of());
    return Publishers.just(
        HealthResult.builder(
                ServingReadiness.NAME, failed.isEmpty() ? HealthStatus.UP : HealthStatus.DOWN)
            .details(Map.of("failed", failed))
            .build());
  }

  private static List<String> failedVersions(JobHost host) {
    return host.runningVersions().stream()
        .filter(
            version ->
                host.running(version)
                    .map(job -> job.state() == KafkaStreams.State.ERROR)
                    .orElse(false))
        .map(JobVersion::toString)
        .toList();
  }
}
