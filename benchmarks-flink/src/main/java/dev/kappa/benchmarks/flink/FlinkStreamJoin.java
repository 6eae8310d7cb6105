package dev.kappa.benchmarks.flink;

import dev.kappa.benchmarks.scenarios.StreamJoin;
import dev.kappa.benchmarks.scenarios.UsagePair;
import dev.kappa.benchmarks.workload.Workload;
import dev.kappa.examples.networkusage.UsageEvent;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.co.ProcessJoinFunction;
import org.apache.flink.util.Collector;

/**
 * The join of {@code stream-join-eos}: each even reading with each odd reading of the same customer
 * within 10 s of it, as Flink's interval join (both bounds inclusive, as Kafka Streams' join
 * windows), every pair written.
 */
final class FlinkStreamJoin extends FlinkJob {

  @Override
  List<String> outputs() {
    return List.of(StreamJoin.PAIRS.name());
  }

  @Override
  void define(StreamExecutionEnvironment env, FlinkKafka kafka) {
    DataStream<Tuple2<String, UsageEvent>> even =
        kafka.read(env, Workload.EVEN_READINGS, UsageEvent.class);
    DataStream<Tuple2<String, UsageEvent>> odd =
        kafka.read(env, Workload.ODD_READINGS, UsageEvent.class);
    kafka.write(
        even.keyBy(reading -> reading.f0)
            .intervalJoin(odd.keyBy(reading -> reading.f0))
            .between(
                Duration.ofMillis(-StreamJoin.TEN_SECONDS.beforeMs),
                Duration.ofMillis(StreamJoin.TEN_SECONDS.afterMs))
            .process(new Pair())
            .returns(FlinkKafka.keyed(UsagePair.class))
            .name("even-with-odd")
            .uid("even-with-odd"),
        StreamJoin.PAIRS.name());
  }

  private static final class Pair
      extends ProcessJoinFunction<
          Tuple2<String, UsageEvent>, Tuple2<String, UsageEvent>, Tuple2<String, UsagePair>> {
    @Override
    public void processElement(
        Tuple2<String, UsageEvent> even,
        Tuple2<String, UsageEvent> odd,
        Context context,
        Collector<Tuple2<String, UsagePair>> out) {
      out.collect(Tuple2.of(even.f0, new UsagePair(even.f1, odd.f1)));
    }
  }
}
