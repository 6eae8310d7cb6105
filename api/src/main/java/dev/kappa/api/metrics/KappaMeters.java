package dev.kappa.api.metrics;

import dev.kappa.api.host.ServingHost;
import dev.kappa.reprocessing.JobHost;
import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.registry.RegistryCommand;
import dev.kappa.reprocessing.replay.ReplayProgress;
import dev.kappa.topology.runtime.RunningJob;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The service's meters, for the Prometheus endpoint: the Kafka Streams metrics of every version
 * that runs here (tagged {@code job} and {@code version}), its replay progress and dead letters,
 * and the swaps and rollbacks this instance has seen. Versions that start or stop are picked up
 * within seconds.
 */
@Singleton
final class KappaMeters {

  private final MeterRegistry registry;
  private final ServingHost serving;
  private final Map<JobVersion, VersionMeters> versions = new HashMap<>();
  private JobHost listenedTo;

  KappaMeters(MeterRegistry registry, ServingHost serving) {
    this.registry = registry;
    this.serving = serving;
  }

  @Scheduled(fixedDelay = "2s", initialDelay = "1s")
  synchronized void refresh() {
    Optional<JobHost> current = serving.current();
    if (current.isEmpty()) {
      return;
    }
    JobHost host = current.get();
    if (listenedTo != host) {
      listenedTo = host;
      host.registry().addListener((before, after, command) -> countSwap(command));
    }
    Set<JobVersion> running = host.runningVersions();
    versions
        .keySet()
        .removeIf(
            version -> {
              if (!running.contains(version)) {
                versions.get(version).close();
                return true;
              }
              return false;
            });
    for (JobVersion version : running) {
      if (!versions.containsKey(version)) {
        host.running(version).ifPresent(job -> versions.put(version, bind(host, version, job)));
      }
      VersionMeters meters = versions.get(version);
      if (meters != null) {
        host.progress(version)
            .ifPresent(progress -> meters.bindSteps(host, version, progress.lateDroppedByStep()));
      }
    }
  }

  private void countSwap(RegistryCommand command) {
    if (command instanceof RegistryCommand.Swapped swapped) {
      swaps(swapped.job(), "swap").increment();
    } else if (command instanceof RegistryCommand.RolledBack rolledBack) {
      swaps(rolledBack.job(), "rollback").increment();
    }
  }

  private Counter swaps(String job, String kind) {
    return Counter.builder("kappa.swaps")
        .description("Swaps and rollbacks of the active version that this instance applied")
        .tags("job", job, "kind", kind)
        .register(registry);
  }

  private VersionMeters bind(JobHost host, JobVersion version, RunningJob job) {
    Tags tags =
        Tags.of(
            Tag.of("job", version.job()), Tag.of("version", Integer.toString(version.number())));
    KafkaStreamsMetrics streams = new KafkaStreamsMetrics(job.streams(), tags);
    streams.bindTo(registry);
    List<Meter> meters = new ArrayList<>();
    meters.add(
        Gauge.builder("kappa.dead.letters", job, running -> running.deadLetters().total())
            .description("Records this version sent to its dead-letter topic")
            .tags(tags)
            .register(registry));
    meters.add(
        progress(
            host, version, tags, "kappa.replay.replayed", "Records replayed", p -> p.replayed()));
    meters.add(
        progress(host, version, tags, "kappa.replay.target", "Records to replay", p -> p.target()));
    meters.add(
        progress(
            host,
            version,
            tags,
            "kappa.replay.input.lag",
            "Records not yet processed",
            p -> p.inputLag()));
    meters.add(
        progress(
            host,
            version,
            tags,
            "kappa.replay.rate",
            "Records replayed per second",
            ReplayProgress::recordsPerSecond));
    meters.add(
        progress(
            host,
            version,
            tags,
            "kappa.replay.late.dropped",
            "Records the version dropped as late, on every instance",
            p -> p.lateDropped()));
    meters.add(
        progress(
            host,
            version,
            tags,
            "kappa.replay.aligning",
            "1 while the version aligns its sources by event time, else 0",
            p -> p.alignment().aligning() ? 1 : 0));
    return new VersionMeters(streams, meters);
  }

  private Gauge progress(
      JobHost host,
      JobVersion version,
      Tags tags,
      String name,
      String description,
      ToDoubleFunction<ReplayProgress> value) {
    return Gauge.builder(
            name, host, h -> h.progress(version).map(value::applyAsDouble).orElse(Double.NaN))
        .description(description)
        .tags(tags)
        .register(registry);
  }

  @PreDestroy
  synchronized void close() {
    versions.values().forEach(VersionMeters::close);
    versions.clear();
  }

  private final class VersionMeters {
    private final KafkaStreamsMetrics streams;
    private final List<Meter> meters;
    private final Set<String> steps = new HashSet<>();

    VersionMeters(KafkaStreamsMetrics streams, List<Meter> meters) {
      this.streams = streams;
      this.meters = meters;
    }

    /** A gauge of late drops for each step of the topology that has dropped any. */
    void bindSteps(JobHost host, JobVersion version, Map<String, Long> lateByStep) {
      for (String step : lateByStep.keySet()) {
        if (steps.add(step)) {
          meters.add(
              Gauge.builder(
                      "kappa.replay.late.dropped.step",
                      host,
                      h ->
                          h.progress(version)
                              .map(p -> (double) p.lateDroppedByStep().getOrDefault(step, 0L))
                              .orElse(Double.NaN))
                  .description(
                      "Records the version dropped as late, on every instance, in one step: the"
                          + " tables and joins of one sub-topology")
                  .tags(
                      Tags.of(
                          Tag.of("job", version.job()),
                          Tag.of("version", Integer.toString(version.number())),
                          Tag.of("step", step)))
                  .register(registry));
        }
      }
    }

    void close() {
      streams.close();
      meters.forEach(registry::remove);
    }
  }
}
