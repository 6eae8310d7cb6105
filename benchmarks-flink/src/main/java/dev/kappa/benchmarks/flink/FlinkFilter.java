package dev.kappa.benchmarks.flink;

import dev.kappa.benchmarks.scenarios.LargeReadings;
import dev.kappa.benchmarks.scenarios.PlainStreamsFilter;
import dev.kappa.benchmarks.workload.Workload;
import dev.kappa.examples.networkusage.UsageEvent;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The filter of {@code kappa-filter-eos}: the readings of at least 100 bytes, read and rewritten.
 */
final class FlinkFilter extends FlinkJob {

  @Override
  List<String> outputs() {
    return List.of(PlainStreamsFilter.OUTPUT);
  }

  @Override
  void define(StreamExecutionEnvironment env, FlinkKafka kafka) {
    kafka.write(
        kafka
            .read(env, Workload.READINGS, UsageEvent.class)
            .filter(reading -> LargeReadings.keep(reading.f0, reading.f1))
            .name("keep-large-readings")
            .uid("keep-large-readings"),
        PlainStreamsFilter.OUTPUT);
  }
}
