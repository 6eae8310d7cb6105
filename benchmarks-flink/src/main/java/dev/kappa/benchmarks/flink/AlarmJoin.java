package dev.kappa.benchmarks.flink;

import dev.kappa.examples.networkusage.AlarmWithUsage;
import dev.kappa.examples.networkusage.NetworkUsageJob;
import dev.kappa.examples.networkusage.NodeAlarm;
import dev.kappa.examples.networkusage.UsageEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The left join of a node's alarms with its readings within 10 s, which Flink's DataStream API does
 * not ship (its interval join is an inner join): each alarm with each reading of its node within 10
 * s of it, and an alarm that met none with none, once the watermark has passed the last moment a
 * reading could still meet it. Both sides wait in keyed state (RocksDB) by timestamp until then; a
 * record behind the watermark is dropped, as the interval join drops it.
 */
final class AlarmJoin
    extends KeyedCoProcessFunction<
        String,
        Tuple2<String, NodeAlarm>,
        Tuple2<String, UsageEvent>,
        Tuple2<String, AlarmWithUsage>> {

  /** The network-usage job's own bound: an alarm meets readings this far before or after it. */
  private static final long NEAR = NetworkUsageJob.NEAR_ALARM.afterMs;

  /** Alarms by timestamp, each with whether it met a reading. */
  private transient MapState<Long, List<Tuple2<NodeAlarm, Boolean>>> alarms;

  /** Readings by timestamp. */
  private transient MapState<Long, List<UsageEvent>> readings;

  @Override
  public void open(OpenContext context) {
    alarms =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "alarms",
                    Types.LONG,
                    Types.LIST(Types.TUPLE(TypeInformation.of(NodeAlarm.class), Types.BOOLEAN))));
    readings =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "readings", Types.LONG, Types.LIST(TypeInformation.of(UsageEvent.class))));
  }

  @Override
  public void processElement1(
      Tuple2<String, NodeAlarm> alarm,
      Context context,
      Collector<Tuple2<String, AlarmWithUsage>> out)
      throws Exception {
    long time = context.timestamp();
    if (time < context.timerService().currentWatermark()) {
      return;
    }
    boolean met = false;
    for (Map.Entry<Long, List<UsageEvent>> at : readings.entries()) {
      if (Math.abs(at.getKey() - time) <= NEAR) {
        for (UsageEvent reading : at.getValue()) {
          out.collect(Tuple2.of(alarm.f0, new AlarmWithUsage(alarm.f1, reading)));
          met = true;
        }
      }
    }
    wait(alarms, time, Tuple2.of(alarm.f1, met), context);
  }

  @Override
  public void processElement2(
      Tuple2<String, UsageEvent> reading,
      Context context,
      Collector<Tuple2<String, AlarmWithUsage>> out)
      throws Exception {
    long time = context.timestamp();
    if (time < context.timerService().currentWatermark()) {
      return;
    }
    List<Long> met = new ArrayList<>();
    for (Map.Entry<Long, List<Tuple2<NodeAlarm, Boolean>>> at : alarms.entries()) {
      if (Math.abs(at.getKey() - time) <= NEAR) {
        for (Tuple2<NodeAlarm, Boolean> alarm : at.getValue()) {
          out.collect(Tuple2.of(context.getCurrentKey(), new AlarmWithUsage(alarm.f0, reading.f1)));
        }
        met.add(at.getKey());
      }
    }
    for (Long at : met) {
      alarms.put(at, alarms.get(at).stream().map(alarm -> Tuple2.of(alarm.f0, true)).toList());
    }
    wait(readings, time, reading.f1, context);
  }

  /**
   * Keeps {@code value} at {@code time} in {@code state} until the watermark passes the last moment
   * a record of the other side could still meet it.
   */
  private static <T> void wait(MapState<Long, List<T>> state, long time, T value, Context context)
      throws Exception {
    List<T> waiting = state.get(time);
    waiting = waiting == null ? new ArrayList<>() : new ArrayList<>(waiting);
    waiting.add(value);
    state.put(time, waiting);
    context.timerService().registerEventTimeTimer(time + NEAR + 1);
  }

  @Override
  public void onTimer(
      long timer, OnTimerContext context, Collector<Tuple2<String, AlarmWithUsage>> out)
      throws Exception {
    long time = timer - NEAR - 1;
    List<Tuple2<NodeAlarm, Boolean>> due = alarms.get(time);
    if (due != null) {
      for (Tuple2<NodeAlarm, Boolean> alarm : due) {
        if (!alarm.f1) {
          out.collect(Tuple2.of(context.getCurrentKey(), new AlarmWithUsage(alarm.f0, null)));
        }
      }
      alarms.remove(time);
    }
    readings.remove(time);
  }
}
