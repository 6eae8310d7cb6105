package dev.kappa.benchmarks.flink;

import static dev.kappa.examples.networkusage.NetworkUsageJob.ALARMS_WITH_USAGE;
import static dev.kappa.examples.networkusage.NetworkUsageJob.NETWORK;
import static dev.kappa.examples.networkusage.NetworkUsageJob.USAGE_BY_AGENT;
import static dev.kappa.examples.networkusage.NetworkUsageJob.USAGE_BY_CUSTOMER;
import static dev.kappa.examples.networkusage.NetworkUsageJob.USAGE_BY_NODE;
import static dev.kappa.examples.networkusage.NetworkUsageJob.USAGE_NETWORK;
import static dev.kappa.examples.networkusage.NetworkUsageJob.USAGE_NETWORK_DAYS;
import static dev.kappa.examples.networkusage.NetworkUsageJob.USAGE_NETWORK_HOURS;
import static dev.kappa.examples.networkusage.NetworkUsageJob.USAGE_NETWORK_MONTHS;

import dev.kappa.benchmarks.workload.Workload;
import dev.kappa.examples.networkusage.AlarmWithUsage;
import dev.kappa.examples.networkusage.NetworkUsageJob;
import dev.kappa.examples.networkusage.NodeAlarm;
import dev.kappa.examples.networkusage.Usage;
import dev.kappa.examples.networkusage.UsageEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The network-usage job of {@code network-usage}: the readings and alarms validated by the job's
 * own rules (the invalid ones to a dead-letter topic with the reason), usage per node, per agent
 * and for the whole network in 1-minute windows, the network total rolled up from the agents' to
 * hours, days and calendar months, each customer's running total, and the left join of each alarm
 * with the readings of its node within 10 s. Each table is written to a topic of its own: a window
 * once, when the watermark passes its end; a customer's total on every reading, as Kafka Streams
 * writes a table's changelog.
 */
final class FlinkNetworkUsage extends FlinkJob {

  private static final String DEAD_LETTERS = "dead-letters";

  @Override
  List<String> outputs() {
    return List.of(
        USAGE_BY_NODE.name(),
        USAGE_BY_AGENT.name(),
        USAGE_NETWORK.name(),
        USAGE_NETWORK_HOURS.name(),
        USAGE_NETWORK_DAYS.name(),
        USAGE_NETWORK_MONTHS.name(),
        USAGE_BY_CUSTOMER.name(),
        ALARMS_WITH_USAGE.name(),
        DEAD_LETTERS);
  }

  @Override
  void define(StreamExecutionEnvironment env, FlinkKafka kafka) {
    SingleOutputStreamOperator<Tuple2<String, UsageEvent>> readings =
        validate(
            kafka.read(env, Workload.READINGS, UsageEvent.class),
            UsageEvent.class,
            NetworkUsageJob::problem,
            "valid-readings");
    SingleOutputStreamOperator<Tuple2<String, NodeAlarm>> alarms =
        validate(
            kafka.read(env, Workload.ALARMS, NodeAlarm.class),
            NodeAlarm.class,
            NetworkUsageJob::problem,
            "valid-alarms");
    kafka.write(
        readings
            .getSideOutput(invalid("valid-readings"))
            .union(alarms.getSideOutput(invalid("valid-alarms"))),
        DEAD_LETTERS);

    kafka.write(
        Totals.sum(
            usageBy(readings, "node", reading -> reading.f1.nodeId()),
            Totals.MINUTES,
            USAGE_BY_NODE.name()),
        USAGE_BY_NODE.name());
    DataStream<Tuple2<String, Usage>> agents =
        Totals.sum(
            usageBy(readings, "agent", reading -> reading.f1.agentId()),
            Totals.MINUTES,
            USAGE_BY_AGENT.name());
    kafka.write(agents, USAGE_BY_AGENT.name());
    DataStream<Tuple2<String, Usage>> network =
        rollUp(kafka, agents, Totals.MINUTES, USAGE_NETWORK.name());
    DataStream<Tuple2<String, Usage>> hours =
        rollUp(
            kafka,
            network,
            TumblingEventTimeWindows.of(Duration.ofHours(1)),
            USAGE_NETWORK_HOURS.name());
    DataStream<Tuple2<String, Usage>> days =
        rollUp(
            kafka,
            hours,
            TumblingEventTimeWindows.of(Duration.ofDays(1)),
            USAGE_NETWORK_DAYS.name());
    rollUp(kafka, days, new CalendarMonths(), USAGE_NETWORK_MONTHS.name());

    kafka.write(
        usageBy(readings, "customer", reading -> reading.f0)
            .keyBy(usage -> usage.f0)
            .reduce((a, b) -> Tuple2.of(a.f0, a.f1.plus(b.f1)))
            .name(USAGE_BY_CUSTOMER.name())
            .uid(USAGE_BY_CUSTOMER.name()),
        USAGE_BY_CUSTOMER.name());

    kafka.write(
        alarms
            .keyBy(alarm -> alarm.f0)
            .connect(readings.keyBy(reading -> reading.f1.nodeId()))
            .process(new AlarmJoin())
            .returns(FlinkKafka.keyed(AlarmWithUsage.class))
            .name(ALARMS_WITH_USAGE.name())
            .uid(ALARMS_WITH_USAGE.name()),
        ALARMS_WITH_USAGE.name());
  }

  /** Each reading's usage, keyed by {@code group} of the reading, called {@code by}. */
  private static DataStream<Tuple2<String, Usage>> usageBy(
      DataStream<Tuple2<String, UsageEvent>> readings,
      String by,
      KeySelector<Tuple2<String, UsageEvent>, String> group) {
    return readings
        .map(reading -> Tuple2.of(group.getKey(reading), Usage.NONE.add(reading.f1)))
        .returns(FlinkKafka.keyed(Usage.class))
        .name("usage-of-reading-by-" + by)
        .uid("usage-of-reading-by-" + by);
  }

  /**
   * The network's total in each window of {@code windows}, summed from {@code totals} of a finer
   * grid, and written to the table's topic.
   */
  private static DataStream<Tuple2<String, Usage>> rollUp(
      FlinkKafka kafka,
      DataStream<Tuple2<String, Usage>> totals,
      WindowAssigner<Object, TimeWindow> windows,
      String table) {
    DataStream<Tuple2<String, Usage>> rolledUp =
        Totals.sum(
            totals
                .map(total -> Tuple2.of(NETWORK, total.f1))
                .returns(FlinkKafka.keyed(Usage.class))
                .name("to-" + table)
                .uid("to-" + table),
            windows,
            table);
    kafka.write(rolledUp, table);
    return rolledUp;
  }

  private static OutputTag<Tuple2<String, String>> invalid(String name) {
    return new OutputTag<>("invalid-" + name, Types.TUPLE(Types.STRING, Types.STRING));
  }

  /** The records without a problem; the others, with the problem, on {@link #invalid(String)}. */
  private static <V> SingleOutputStreamOperator<Tuple2<String, V>> validate(
      DataStream<Tuple2<String, V>> records, Class<V> type, Problem<V> problem, String name) {
    OutputTag<Tuple2<String, String>> invalid = invalid(name);
    return records
        .process(
            new ProcessFunction<Tuple2<String, V>, Tuple2<String, V>>() {
              @Override
              public void processElement(
                  Tuple2<String, V> record, Context context, Collector<Tuple2<String, V>> out) {
                Optional<String> found = problem.apply(record.f0, record.f1);
                if (found.isPresent()) {
                  context.output(invalid, Tuple2.of(record.f0, found.get()));
                } else {
                  out.collect(record);
                }
              }
            })
        .returns(FlinkKafka.keyed(type))
        .name(name)
        .uid(name);
  }

  /** A job's validation rule, serializable for Flink. */
  private interface Problem<V>
      extends BiFunction<String, V, Optional<String>>, java.io.Serializable {}
}
