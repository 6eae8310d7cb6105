package dev.kappa.benchmarks.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kappa.benchmarks.internal.JsonHttp;
import dev.kappa.examples.networkusage.AlarmWithUsage;
import dev.kappa.examples.networkusage.NetworkUsageJob;
import dev.kappa.examples.networkusage.NodeAlarm;
import dev.kappa.examples.networkusage.UsageEvent;
import dev.kappa.serde.JsonSerde;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The end of a chaos run: every window of the active version's serving tables and every record of
 * its {@code alarms-with-usage} output, against what this class computes from the records in the
 * source topics, with the version's rule ({@link ChaosJob#counts}) and nothing of the job's code. A
 * window or pair is lost (missing, or fewer readings), duplicated (more readings, or a pair twice)
 * or wrong (anything else that differs).
 */
final class ChaosCheck {

  /** What one table or output held against what it should. */
  record Tally(long checked, long lost, long duplicated, long wrong, List<String> examples) {
    boolean exact() {
      return lost == 0 && duplicated == 0 && wrong == 0;
    }
  }

  /** The source records, read once. */
  record Sources(List<UsageEvent> readings, List<NodeAlarm> alarms, long unreadable) {}

  private static final JsonSerde<UsageEvent> READINGS = JsonSerde.of(UsageEvent.class);
  private static final JsonSerde<NodeAlarm> ALARMS = JsonSerde.of(NodeAlarm.class);
  private static final JsonSerde<AlarmWithUsage> JOINED = JsonSerde.of(AlarmWithUsage.class);
  private static final Duration NEAR = Duration.ofSeconds(10);

  private ChaosCheck() {}

  static Sources sources(String bootstrap) {
    List<UsageEvent> readings = new ArrayList<>();
    List<NodeAlarm> alarms = new ArrayList<>();
    long unreadable = 0;
    for (ConsumerRecord<byte[], byte[]> record :
        readAll(bootstrap, NetworkUsageJob.USAGE_EVENTS.topic(), false)) {
      try {
        readings.add(READINGS.deserialize(record.topic(), record.value()));
      } catch (RuntimeException e) {
        unreadable++;
      }
    }
    for (ConsumerRecord<byte[], byte[]> record :
        readAll(bootstrap, NetworkUsageJob.NODE_ALARMS.topic(), false)) {
      alarms.add(ALARMS.deserialize(record.topic(), record.value()));
    }
    return new Sources(readings, alarms, unreadable);
  }

  /** Every table and the join output of {@code version}, served through {@code instance}. */
  static Map<String, Tally> check(
      String bootstrap, URI instance, JsonHttp http, int version, Sources sources) {
    List<UsageEvent> counted =
        sources.readings().stream().filter(r -> ChaosJob.counts(version, r)).toList();
    Map<String, Tally> tallies = new LinkedHashMap<>();
    Function<Long, Long> minute = t -> t - Math.floorMod(t, 60_000L);
    tallies.put(
        "usage-by-node",
        windows(http, instance, "usage-by-node", counted, UsageEvent::nodeId, minute));
    tallies.put(
        "usage-by-agent",
        windows(http, instance, "usage-by-agent", counted, UsageEvent::agentId, minute));
    tallies.put(
        "usage-network",
        windows(http, instance, "usage-network", counted, r -> NetworkUsageJob.NETWORK, minute));
    tallies.put(
        "usage-network-hours",
        windows(
            http,
            instance,
            "usage-network-hours",
            counted,
            r -> NetworkUsageJob.NETWORK,
            t -> t - Math.floorMod(t, 3_600_000L)));
    tallies.put(
        "usage-network-days",
        windows(
            http,
            instance,
            "usage-network-days",
            counted,
            r -> NetworkUsageJob.NETWORK,
            t -> t - Math.floorMod(t, 86_400_000L)));
    tallies.put(
        "usage-network-months",
        windows(
            http,
            instance,
            "usage-network-months",
            counted,
            r -> NetworkUsageJob.NETWORK,
            t ->
                YearMonth.from(Instant.ofEpochMilli(t).atZone(ZoneOffset.UTC))
                    .atDay(1)
                    .atStartOfDay(ZoneOffset.UTC)
                    .toInstant()
                    .toEpochMilli()));
    tallies.put("alarms-with-usage", alarms(bootstrap, version, counted, sources.alarms()));
    return tallies;
  }

  private static Tally windows(
      JsonHttp http,
      URI instance,
      String table,
      List<UsageEvent> counted,
      Function<UsageEvent, String> key,
      Function<Long, Long> windowStart) {
    Map<String, long[]> expected = new TreeMap<>();
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (UsageEvent reading : counted) {
      long start = windowStart.apply(reading.timestamp().toEpochMilli());
      first = Math.min(first, start);
      last = Math.max(last, start);
      long[] usage = expected.computeIfAbsent(key.apply(reading) + "@" + start, k -> new long[2]);
      usage[0] += reading.bytes();
      usage[1]++;
    }
    Map<String, long[]> served = new HashMap<>();
    JsonNode answer =
        http.get(
                instance,
                "/jobs/"
                    + ChaosJob.NAME
                    + "/tables/"
                    + table
                    + "/windows?limit=100000&from="
                    + Instant.ofEpochMilli(first)
                    + "&to="
                    + Instant.ofEpochMilli(last))
            .json();
    if (answer.get("truncated").asBoolean()) {
      throw new IllegalStateException("Table " + table + " has more than 100,000 windows");
    }
    for (JsonNode row : answer.get("rows")) {
      long start = Instant.parse(row.get("start").asText()).toEpochMilli();
      served.put(
          row.get("key").asText() + "@" + start,
          new long[] {
            row.get("value").get("bytes").asLong(), row.get("value").get("readings").asLong()
          });
    }
    long lost = 0;
    long duplicated = 0;
    long wrong = 0;
    List<String> examples = new ArrayList<>();
    for (Map.Entry<String, long[]> window : expected.entrySet()) {
      long[] should = window.getValue();
      long[] is = served.remove(window.getKey());
      if (is != null && is[0] == should[0] && is[1] == should[1]) {
        continue;
      }
      if (is == null || is[1] < should[1]) {
        lost++;
      } else if (is[1] > should[1]) {
        duplicated++;
      } else {
        wrong++;
      }
      example(examples, table, window.getKey(), should, is);
    }
    for (Map.Entry<String, long[]> extra : served.entrySet()) {
      wrong++;
      example(examples, table, extra.getKey(), null, extra.getValue());
    }
    return new Tally(expected.size(), lost, duplicated, wrong, examples);
  }

  private static void example(
      List<String> examples, String table, String window, long[] should, long[] is) {
    if (examples.size() < 5) {
      examples.add(
          table
              + " "
              + window
              + ": expected "
              + (should == null ? "none" : should[1] + " readings, " + should[0] + " bytes")
              + ", served "
              + (is == null ? "none" : is[1] + " readings, " + is[0] + " bytes"));
    }
  }

  /**
   * The pairs of the left join: each alarm with every counted reading of its node within 10 s,
   * once; an alarm without one alone, once, if its join window has closed (older than two minutes
   * before the last reading; a younger one may or may not have been reported yet).
   */
  private static Tally alarms(
      String bootstrap, int version, List<UsageEvent> counted, List<NodeAlarm> alarms) {
    Map<String, List<UsageEvent>> byNode = new HashMap<>();
    Instant lastReading = Instant.EPOCH;
    for (UsageEvent reading : counted) {
      byNode.computeIfAbsent(reading.nodeId(), n -> new ArrayList<>()).add(reading);
      if (reading.timestamp().isAfter(lastReading)) {
        lastReading = reading.timestamp();
      }
    }
    Instant closed = lastReading.minus(Duration.ofMinutes(2));
    Map<String, Long> expected = new TreeMap<>();
    Map<String, Boolean> aloneMayBe = new HashMap<>();
    for (NodeAlarm alarm : alarms) {
      boolean any = false;
      for (UsageEvent reading : byNode.getOrDefault(alarm.nodeId(), List.of())) {
        // Kafka Streams joins by record timestamps, in milliseconds.
        long apart = reading.timestamp().toEpochMilli() - alarm.timestamp().toEpochMilli();
        if (Math.abs(apart) <= NEAR.toMillis()) {
          expected.merge(pair(alarm, reading), 1L, Long::sum);
          any = true;
        }
      }
      if (!any) {
        if (alarm.timestamp().isBefore(closed)) {
          expected.merge(pair(alarm, null), 1L, Long::sum);
        } else {
          aloneMayBe.put(pair(alarm, null), true);
        }
      }
    }
    Map<String, Long> served = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> record :
        readAll(bootstrap, ChaosJob.alarmsTopic(version), true)) {
      AlarmWithUsage joined = JOINED.deserialize(record.topic(), record.value());
      served.merge(pair(joined.alarm(), joined.reading()), 1L, Long::sum);
    }
    long lost = 0;
    long duplicated = 0;
    long wrong = 0;
    List<String> examples = new ArrayList<>();
    for (Map.Entry<String, Long> pair : expected.entrySet()) {
      long is = served.getOrDefault(pair.getKey(), 0L);
      served.remove(pair.getKey());
      if (is < pair.getValue()) {
        lost += pair.getValue() - is;
      } else if (is > pair.getValue()) {
        duplicated += is - pair.getValue();
      } else {
        continue;
      }
      if (examples.size() < 5) {
        examples.add(pair.getKey() + ": expected " + pair.getValue() + ", served " + is);
      }
    }
    for (Map.Entry<String, Long> extra : served.entrySet()) {
      long allowed = aloneMayBe.containsKey(extra.getKey()) ? 1 : 0;
      if (extra.getValue() > allowed) {
        if (allowed == 1) {
          duplicated += extra.getValue() - 1;
        } else {
          wrong += extra.getValue();
        }
        if (examples.size() < 5) {
          examples.add(extra.getKey() + ": not expected, served " + extra.getValue());
        }
      }
    }
    return new Tally(
        expected.values().stream().mapToLong(Long::longValue).sum(),
        lost,
        duplicated,
        wrong,
        examples);
  }

  private static String pair(NodeAlarm alarm, UsageEvent reading) {
    return alarm + " with " + Objects.toString(reading);
  }

  /** Every record of {@code topic} up to its end now; committed ones only if {@code committed}. */
  private static List<ConsumerRecord<byte[], byte[]>> readAll(
      String bootstrap, String topic, boolean committed) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "chaos-check-" + UUID.randomUUID());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, committed ? "read_committed" : "read_uncommitted");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(info -> new TopicPartition(topic, info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Cannot read " + topic + " to its end within 5 minutes");
        }
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
    }
    return records;
  }
}
