package dev.kappa.benchmarks.flink;

import dev.kappa.benchmarks.scenarios.WindowedAggregation;
import dev.kappa.benchmarks.workload.Workload;
import dev.kappa.examples.networkusage.Usage;
import dev.kappa.examples.networkusage.UsageEvent;
import java.util.List;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The aggregation of {@code windowed-aggregation-eos}: bytes and readings per customer in tumbling
 * 1-minute event-time windows, watermarks 30 s behind, on RocksDB. Each window's sum is written
 * once, when the watermark passes its end (Kappa writes each update its record cache lets through).
 */
final class FlinkWindowedAggregation extends FlinkJob {

  @Override
  List<String> outputs() {
    return List.of(WindowedAggregation.UPDATES.name());
  }

  @Override
  void define(StreamExecutionEnvironment env, FlinkKafka kafka) {
    kafka.write(
        Totals.sum(
            kafka
                .read(env, Workload.READINGS, UsageEvent.class)
                .map(reading -> Tuple2.of(reading.f0, Usage.NONE.add(reading.f1)))
                .returns(FlinkKafka.keyed(Usage.class))
                .name("usage-of-reading")
                .uid("usage-of-reading"),
            Totals.MINUTES,
            "usage-by-customer"),
        WindowedAggregation.UPDATES.name());
  }
}
