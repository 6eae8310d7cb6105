package dev.kappa.benchmarks.flink;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Calendar months in UTC as event-time windows, which Flink does not ship: Kappa's {@code
 * TimeGrid.months()} for the network total's monthly rollup.
 */
final class CalendarMonths extends WindowAssigner<Object, TimeWindow> {

  @Override
  public Collection<TimeWindow> assignWindows(
      Object element, long timestamp, WindowAssignerContext context) {
    YearMonth month = YearMonth.from(Instant.ofEpochMilli(timestamp).atZone(ZoneOffset.UTC));
    return List.of(
        new TimeWindow(
            month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli(),
            month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()));
  }

  @Override
  public Trigger<Object, TimeWindow> getDefaultTrigger() {
    return EventTimeTrigger.create();
  }

  @Override
  public TypeSerializer<TimeWindow> getWindowSerializer(ExecutionConfig config) {
    return new TimeWindow.Serializer();
  }

  @Override
  public boolean isEventTime() {
    return true;
  }
}
