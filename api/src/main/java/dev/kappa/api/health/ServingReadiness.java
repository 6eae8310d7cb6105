package dev.kappa.api.health;

import dev.kappa.api.host.ServingHost;
import dev.kappa.reprocessing.JobHost;
import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.registry.JobHistory;
import dev.kappa.reprocessing.registry.VersionState;
import dev.kappa.reprocessing.registry.VersionStatus;
import dev.kappa.topology.runtime.RunningJob;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.reactivestreams.Publisher;

/**
 * Ready to serve when the registry is loaded and the active version of every job runs here with no
 * store restoring. Versions that replay beside it are reported in the details; they do not make the
 * instance unready, since the active version answers. Nor does a job whose first version waits for
 * its source topics to exist ({@code waitingForSources} in its details): the other jobs serve.
 */
@Singleton
@Readiness
final class ServingReadiness implements HealthIndicator {

  static final String NAME = "kappa";

  private final ServingHost serving;

  ServingReadiness(ServingHost serving) {
    this.serving = serving;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    return Publishers.just(result());
  }

  private HealthResult result() {
    Optional<JobHost> current = serving.current();
    if (current.isEmpty()) {
      return HealthResult.builder(NAME, HealthStatus.DOWN)
          .details(Map.of("reason", serving.waitingFor().orElse("the service is starting")))
          .build();
    }
    JobHost host = current.get();
    Optional<String> lost = serving.kafkaLost();
    if (lost.isPresent()) {
      return HealthResult.builder(NAME, HealthStatus.DOWN)
          .details(Map.of("reason", lost.get()))
          .build();
    }
    if (!host.registry().loaded()) {
      return HealthResult.builder(NAME, HealthStatus.DOWN)
          .details(Map.of("reason", "the registry is not loaded yet"))
          .build();
    }
    boolean ready = true;
    Map<String, Object> jobs = new LinkedHashMap<>();
    for (String job : host.jobs()) {
      JobHistory history = host.history(job);
      Map<String, Object> details = new LinkedHashMap<>();
      OptionalInt active = history.active();
      if (active.isPresent()) {
        JobVersion version = JobVersion.of(job, active.getAsInt());
        Map<String, Object> activeDetails = versionDetails(host, version);
        details.put("active", activeDetails);
        ready &= Boolean.TRUE.equals(activeDetails.get("serving"));
      } else {
        details.put("active", "none: start a version");
      }
      String waiting = host.waitingForSources().get(job);
      if (waiting != null) {
        // Not a reason to be unready: the other jobs serve, and this one starts by itself.
        details.put("waitingForSources", waiting);
      }
      Map<String, Object> replaying = new LinkedHashMap<>();
      for (VersionState state : history.versions().values()) {
        if (state.status() == VersionStatus.REPLAYING) {
          Map<String, Object> replay = new LinkedHashMap<>();
          host.progress(state.version())
              .ifPresent(
                  progress -> {
                    replay.put("replayed", progress.replayed());
                    replay.put("target", progress.target());
                    replay.put("inputLag", progress.inputLag());
                    replay.put("lateDropped", progress.lateDropped());
                    replay.put("aligning", progress.alignment().aligning());
                  });
          replaying.put("v" + state.version().number(), replay);
        }
      }
      if (!replaying.isEmpty()) {
        details.put("replaying", replaying);
      }
      jobs.put(job, details);
    }
    return HealthResult.builder(NAME, ready ? HealthStatus.UP : HealthStatus.DOWN)
        .details(Map.of("instance", host.instance(), "jobs", jobs))
        .build();
  }

  private static Map<String, Object> versionDetails(JobHost host, JobVersion version) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("version", version.number());
    Optional<RunningJob> running = host.running(version);
    if (running.isEmpty()) {
      details.put("state", "not started here");
      details.put("serving", false);
      return details;
    }
    KafkaStreams.State state = running.get().state();
    details.put("state", state.name());
    Map<TopicPartition, RunningJob.Restoration> restoring = running.get().restorations();
    if (!restoring.isEmpty()) {
      Map<String, String> progress = new TreeMap<>();
      restoring.forEach(
          (partition, restoration) ->
              progress.put(
                  partition.toString(),
                  String.format(
                      "%,d of %,d records", restoration.restored(), restoration.toRestore())));
      details.put("restoring", progress);
    }
    details.put("serving", state == KafkaStreams.State.RUNNING && restoring.isEmpty());
    return details;
  }
}
