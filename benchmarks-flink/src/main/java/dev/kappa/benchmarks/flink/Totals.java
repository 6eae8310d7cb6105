package dev.kappa.benchmarks.flink;

import dev.kappa.examples.networkusage.NetworkUsageJob;
import dev.kappa.examples.networkusage.Usage;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Windowed sums of usage, as the Flink jobs compute them: keyed, event-time windows, each reduced
 * as its records arrive and emitted once, when the watermark passes its end, keyed {@code
 * <key>@<window start>} as Kappa keys its window updates.
 */
final class Totals {

  /** Tumbling 1-minute event-time windows: the size of the Kappa jobs' windows. */
  static final TumblingEventTimeWindows MINUTES =
      TumblingEventTimeWindows.of(Duration.ofMillis(NetworkUsageJob.MINUTES.size()));

  private Totals() {}

  /**
   * The sum of the usage of each key (the first field) in each window of {@code windows}; the
   * result's timestamp is the window's last millisecond, so that it falls in the same window of a
   * coarser grid.
   */
  static DataStream<Tuple2<String, Usage>> sum(
      DataStream<Tuple2<String, Usage>> usage,
      WindowAssigner<Object, TimeWindow> windows,
      String name) {
    return usage
        .keyBy(keyed -> keyed.f0)
        .window(windows)
        .reduce((a, b) -> Tuple2.of(a.f0, a.f1.plus(b.f1)), new Labelled())
        .returns(FlinkKafka.keyed(Usage.class))
        .name(name)
        .uid(name);
  }

  /** The sum of a window, keyed by its key and start. */
  private static final class Labelled
      extends ProcessWindowFunction<
          Tuple2<String, Usage>, Tuple2<String, Usage>, String, TimeWindow> {
    @Override
    public void process(
        String key,
        Context context,
        Iterable<Tuple2<String, Usage>> sum,
        Collector<Tuple2<String, Usage>> out) {
      out.collect(
          Tuple2.of(
              key + "@" + Instant.ofEpochMilli(context.window().getStart()),
              sum.iterator().next().f1));
    }
  }
}
