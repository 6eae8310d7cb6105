package dev.kappa.topology.internal;

import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/** Sums a Kafka Streams metric over its tags (threads, tasks, processors). */
public final class StreamsMetricSums {

  private StreamsMetricSums() {}

  /** The sum of every metric called {@code name}, for example {@code dropped-records-total}. */
  public static long total(Map<MetricName, ? extends Metric> metrics, String name) {
    return (long)
        metrics.values().stream()
            .filter(metric -> metric.metricName().name().equals(name))
            .mapToDouble(metric -> ((Number) metric.metricValue()).doubleValue())
            .sum();
  }
}
