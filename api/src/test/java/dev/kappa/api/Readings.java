package dev.kappa.api;

import dev.kappa.api.MeterReadings.Place;
import dev.kappa.api.MeterReadings.Reading;
import dev.kappa.api.MeterReadings.Total;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** A fixed set of readings for the service tests, and the totals each version must serve. */
final class Readings {

  static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

  private final List<Reading> readings = new ArrayList<>();

  /** {@code count} readings of {@code meters} meters on 3 sites of 4 floors, over 5 minutes. */
  Readings(int count, int meters, long seed) {
    Random random = new Random(seed);
    for (int i = 0; i < count; i++) {
      int meter = random.nextInt(meters);
      readings.add(
          new Reading(
              meter(meter),
              "site-" + meter % 3,
              meter % 4,
              random.nextInt(1000),
              START.plus(Duration.ofMillis(random.nextInt(300_000)))));
    }
    // In time order, as live readings arrive: none is late for its window.
    readings.sort(java.util.Comparator.comparing(Reading::timestamp));
  }

  static String meter(int number) {
    return String.format("m-%03d", number);
  }

  List<Reading> all() {
    return readings;
  }

  void produce(String bootstrapServers) throws ExecutionException, InterruptedException {
    try (KafkaProducer<String, Reading> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG,
                5),
            new StringSerializer(),
            MeterReadings.READINGS.values().serde().serializer())) {
      for (Reading reading : readings) {
        producer.send(
            new ProducerRecord<>(
                MeterReadings.READINGS.topic(),
                null,
                reading.timestamp().toEpochMilli(),
                reading.meter(),
                reading));
      }
      producer.flush();
    }
  }

  Map<String, Total> byMeter(long minimumBytes) {
    return totals(minimumBytes, Reading::meter);
  }

  Map<Integer, Total> byFloor(long minimumBytes) {
    return totals(minimumBytes, Reading::floor);
  }

  Map<Place, Total> byPlace(long minimumBytes) {
    return totals(minimumBytes, reading -> new Place(reading.site(), reading.floor()));
  }

  /** Totals of one site by window start. */
  Map<Instant, Total> bySiteWindow(long minimumBytes, String site) {
    return totals(
        minimumBytes,
        reading ->
            reading.site().equals(site)
                ? Instant.ofEpochMilli(
                    reading.timestamp().toEpochMilli()
                        - reading.timestamp().toEpochMilli() % 60_000)
                : null);
  }

  private <K> Map<K, Total> totals(long minimumBytes, Function<Reading, K> key) {
    Map<K, Total> totals =
        new TreeMap<>((left, right) -> left.toString().compareTo(right.toString()));
    for (Reading reading : readings) {
      K k = key.apply(reading);
      if (k != null && reading.bytes() >= minimumBytes) {
        totals.merge(
            k,
            Total.NONE.add(reading),
            (a, b) -> new Total(a.count() + b.count(), a.bytes() + b.bytes()));
      }
    }
    return totals;
  }
}
