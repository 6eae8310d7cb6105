package dev.kappa.benchmarks.workload;

import dev.kappa.benchmarks.scenarios.LargeReadings;
import dev.kappa.benchmarks.scenarios.UsagePair;
import dev.kappa.examples.networkusage.AlarmWithUsage;
import dev.kappa.examples.networkusage.NodeAlarm;
import dev.kappa.examples.networkusage.Usage;
import dev.kappa.examples.networkusage.UsageEvent;
import dev.kappa.examples.networkusage.UsageGenerator.GeneratedRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the scenarios must output, computed here from the generated records alone, by loops over
 * them rather than by any engine: the checks of every engine's outputs (Kappa's, plain Kafka
 * Streams', Flink's) compare with these. Each takes the records {@link Workload#generate} gave, by
 * topic.
 */
public final class Expected {

  /** The join's and the alarm join's time difference. */
  public static final Duration NEAR = Duration.ofSeconds(10);

  private Expected() {}

  /** The readings of at least {@link LargeReadings#MIN_BYTES} bytes, keyed by customer. */
  public static List<Keyed<UsageEvent>> largeReadings(Map<String, List<GeneratedRecord>> records) {
    return of(records, Workload.READINGS).stream()
        .filter(record -> reading(record).bytes() >= LargeReadings.MIN_BYTES)
        .map(record -> new Keyed<>(record.key(), reading(record)))
        .toList();
  }

  /**
   * The sum of each 1-minute window of the readings grouped by {@code group}, keyed {@code
   * <group>@<window start>}.
   */
  public static Map<String, Usage> windowSums(
      Map<String, List<GeneratedRecord>> records, Function<UsageEvent, String> group) {
    Map<String, Usage> sums = new HashMap<>();
    for (GeneratedRecord record : of(records, Workload.READINGS)) {
      long start = record.timestamp().toEpochMilli() / 60_000 * 60_000;
      sums.merge(
          group.apply(reading(record)) + "@" + Instant.ofEpochMilli(start),
          new Usage(reading(record).bytes(), 1),
          Usage::plus);
    }
    return sums;
  }

  /** The last value of each key of {@code updates}: a table's final rows. */
  public static <V> Map<String, V> lastOfEachKey(List<Keyed<V>> updates) {
    Map<String, V> last = new HashMap<>();
    updates.forEach(update -> last.put(update.key(), update.value()));
    return last;
  }

  /** Each even reading with each odd reading of its customer within {@link #NEAR}. */
  public static List<Keyed<UsagePair>> pairs(Map<String, List<GeneratedRecord>> records) {
    Map<String, List<UsageEvent>> odd =
        of(records, Workload.ODD_READINGS).stream()
            .collect(
                Collectors.groupingBy(
                    GeneratedRecord::key,
                    Collectors.mapping(Expected::reading, Collectors.toList())));
    List<Keyed<UsagePair>> pairs = new ArrayList<>();
    for (GeneratedRecord even : of(records, Workload.EVEN_READINGS)) {
      for (UsageEvent other : odd.getOrDefault(even.key(), List.of())) {
        if (near(reading(even).timestamp(), other.timestamp())) {
          pairs.add(new Keyed<>(even.key(), new UsagePair(reading(even), other)));
        }
      }
    }
    return pairs;
  }

  /** Each alarm with each reading of its node within {@link #NEAR}, keyed by node. */
  public static List<Keyed<AlarmWithUsage>> alarmsWithReadings(
      Map<String, List<GeneratedRecord>> records) {
    List<Keyed<AlarmWithUsage>> joined = new ArrayList<>();
    for (GeneratedRecord alarm : of(records, Workload.ALARMS)) {
      NodeAlarm nodeAlarm = Objects.requireNonNull(alarm.alarm(), "an alarm");
      for (GeneratedRecord record : of(records, Workload.READINGS)) {
        if (reading(record).nodeId().equals(nodeAlarm.nodeId())
            && near(nodeAlarm.timestamp(), reading(record).timestamp())) {
          joined.add(new Keyed<>(alarm.key(), new AlarmWithUsage(nodeAlarm, reading(record))));
        }
      }
    }
    return joined;
  }

  private static boolean near(Instant a, Instant b) {
    return Duration.between(a, b).abs().compareTo(NEAR) <= 0;
  }

  private static List<GeneratedRecord> of(
      Map<String, List<GeneratedRecord>> records, String topic) {
    return records.getOrDefault(topic, List.of());
  }

  private static UsageEvent reading(GeneratedRecord record) {
    return Objects.requireNonNull(record.reading(), "a reading");
  }
}
