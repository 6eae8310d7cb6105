package dev.kappa.examples.demo;

import dev.kappa.serde.Codec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;

/** What the workload tests share: generating at a clock, and sorting records as the job would. */
final class WorkloadRecords {

  static final Instant START = Instant.parse("2026-11-23T22:48:00Z");

  private WorkloadRecords() {}

  /** {@code units} units of the workload's rate, 1 ms apart from {@link #START}. */
  static List<ProducerRecord<String, byte[]>> generate(DemoWorkload workload, int units) {
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < units; i++) {
      records.addAll(workload.next(START.plusMillis(i)));
    }
    return records;
  }

  /**
   * Why the job would send {@code record} to its dead letters, as its validation says, or that it
   * is not JSON; empty if it is valid.
   */
  static <V> Optional<String> problem(
      ProducerRecord<String, byte[]> record,
      Codec<V> values,
      BiFunction<String, V, Optional<String>> problem) {
    V value;
    try {
      value = values.serde().deserializer().deserialize(record.topic(), record.value());
    } catch (SerializationException | IllegalArgumentException e) {
      return Optional.of("not JSON");
    }
    return problem.apply(record.key(), value);
  }

  /**
   * Whether the record's timestamp is at most {@code within} before {@link #START}, and within a
   * minute after.
   */
  static boolean closeTo(ProducerRecord<String, byte[]> record, Duration within) {
    long end = START.plus(Duration.ofMinutes(1)).toEpochMilli();
    return record.timestamp() >= START.minus(within).toEpochMilli() && record.timestamp() <= end;
  }
}
