package dev.kappa.reprocessing.internal;

import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.replay.ReplayProgress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.metrics.KafkaMetricsContext;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.utils.Time;

/**
 * The replay progress of the versions of a host over JMX, as {@code
 * kappa:type=kappa-replay-metrics,job=..,version=..,instance=..}: records replayed and to replay,
 * input lag, rate, time left, records dropped as late (by every instance), whether the version
 * aligns and records held back here. Thread-safe.
 */
public final class ReplayMetrics implements AutoCloseable {

  private static final String GROUP = "kappa-replay-metrics";

  private final String instance;
  private final Metrics metrics =
      new Metrics(
          new MetricConfig(),
          List.of(new JmxReporter()),
          Time.SYSTEM,
          new KafkaMetricsContext("kappa"));

  /** Metrics of the host called {@code instance}. */
  public ReplayMetrics(String instance) {
    this.instance = instance;
  }

  /** Publishes the gauges of {@code runtime}. */
  public void publish(VersionRuntime runtime) {
    Map<String, String> tags = tags(runtime.version());
    gauge("replayed-records", "Source records replayed", tags, runtime, p -> (double) p.replayed());
    gauge("target-records", "Source records to replay", tags, runtime, p -> (double) p.target());
    gauge("input-lag", "Records not yet committed", tags, runtime, p -> (double) p.inputLag());
    gauge("records-per-second", "Replay rate", tags, runtime, ReplayProgress::recordsPerSecond);
    gauge(
        "seconds-left",
        "Estimated time to the target",
        tags,
        runtime,
        p -> p.timeLeft().map(left -> left.toMillis() / 1000.0).orElse(0.0));
    gauge(
        "late-dropped-records-total",
        "Records the version dropped as late, on every instance",
        tags,
        runtime,
        p -> (double) p.lateDropped());
    gauge(
        "aligning",
        "1 while the version aligns its sources by event time, else 0",
        tags,
        runtime,
        p -> p.alignment().aligning() ? 1.0 : 0.0);
    gauge(
        "held-records-total",
        "Source records held back by alignment on this instance",
        tags,
        runtime,
        p -> (double) p.alignment().heldRecords());
  }

  private void gauge(
      String name,
      String description,
      Map<String, String> tags,
      VersionRuntime runtime,
      ToDoubleFunction<ReplayProgress> value) {
    metrics.addMetric(
        metrics.metricName(name, GROUP, description, tags),
        (Gauge<Double>)
            (metricConfig, now) -> runtime.progress().map(value::applyAsDouble).orElse(0.0));
  }

  /** Removes the gauges of {@code version}. */
  public void unpublish(JobVersion version) {
    Map<String, String> tags = tags(version);
    new HashMap<>(metrics.metrics())
        .keySet().stream()
            .filter(name -> name.group().equals(GROUP) && name.tags().equals(tags))
            .forEach(metrics::removeMetric);
  }

  private Map<String, String> tags(JobVersion version) {
    return Map.of(
        "job", version.job(), "version", Integer.toString(version.number()), "instance", instance);
  }

  @Override
  public void close() {
    metrics.close();
  }
}
