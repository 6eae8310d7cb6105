package dev.kappa.reprocessing;

import dev.kappa.reprocessing.SiteReadings.Reading;
import dev.kappa.reprocessing.SiteReadings.Total;
import dev.kappa.serde.JsonSerde;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces sensor readings to the source topic as a live producer would, in order of event time
 * give or take 5 s (inside the 30 s grace), and keeps the totals each version of {@link
 * SiteReadings} must compute, independently of the job. One reading in 500 is invalid.
 */
final class Workload implements AutoCloseable {

  /**
   * 08:00 UTC thirty days ago: older than the 8 days for which Kafka Streams would keep the window
   * stores' changelogs against the broker's clock, as a replayed log is.
   */
  static final Instant START =
      LocalDate.now(ZoneOffset.UTC).minusDays(30).atTime(8, 0).toInstant(ZoneOffset.UTC);

  private static final int SENSORS = 40;
  private static final int SITES = 5;

  private final KafkaProducer<String, Reading> producer;
  private final Random random = new Random(42);
  private final Duration step;
  private final AtomicLong produced = new AtomicLong();
  private final Map<String, Map<Instant, Total>> allBySite = new ConcurrentHashMap<>();
  private final Map<String, Map<Instant, Total>> largeBySite = new ConcurrentHashMap<>();
  private final Map<String, Total> allBySensor = new ConcurrentHashMap<>();
  private final Map<String, Total> largeBySensor = new ConcurrentHashMap<>();
  private volatile boolean stopped;
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private volatile int[] partitions = new int[0];

  /** A workload whose event time advances {@code step} per reading. */
  Workload(String bootstrapServers, Duration step) {
    this.step = step;
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG,
                5),
            new StringSerializer(),
            JsonSerde.of(Reading.class));
  }

  static String site(int number) {
    return "site-" + number;
  }

  static int sites() {
    return SITES;
  }

  static int sensorCount() {
    return SENSORS;
  }

  /**
   * From now on, sends each sensor's readings to one of {@code only} (by the sensor's hash), or to
   * the partition of its key if none are given: to leave partitions empty or idle.
   */
  void onPartitions(int... only) {
    this.partitions = only.clone();
  }

  /** Produces {@code count} readings as fast as the producer takes them. */
  void produce(long count) {
    for (long i = 0; i < count; i++) {
      produceOne();
    }
    flush();
  }

  /** Produces about {@code perSecond} readings a second until {@link #stop()}. */
  void produceLive(int perSecond) {
    long started = System.nanoTime();
    long sent = 0;
    while (!stopped) {
      long due = (System.nanoTime() - started) * perSecond / 1_000_000_000L;
      while (sent < due && !stopped) {
        produceOne();
        sent++;
      }
      flush();
      try {
        Thread.sleep(10); // pacing a producer loop, not waiting for a condition
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    flush();
  }

  /**
   * Waits until every reading sent so far is written.
   *
   * @throws IllegalStateException if one was not: the test's expectations count it
   */
  private void flush() {
    producer.flush();
    Exception error = failure.get();
    if (error != null) {
      throw new IllegalStateException("A reading of the workload was not written: " + error, error);
    }
  }

  void stop() {
    stopped = true;
  }

  long produced() {
    return produced.get();
  }

  private void produceOne() {
    long index = produced.getAndIncrement();
    String sensor = "sensor-" + random.nextInt(SENSORS);
    String site = site(Math.floorMod(sensor.hashCode(), SITES));
    // Up to 5 s early or late: readings of one partition are out of order by up to 10 s.
    Instant time = START.plus(step.multipliedBy(index)).plusMillis(random.nextInt(10_001) - 5_000);
    long bytes = index % 500 == 499 ? -1 : random.nextInt(1000);
    Reading reading = new Reading(sensor, site, bytes, time);
    int[] only = partitions;
    Integer partition =
        only.length == 0 ? null : only[Math.floorMod(sensor.hashCode(), only.length)];
    producer.send(
        new ProducerRecord<>(
            SiteReadings.READINGS.topic(), partition, time.toEpochMilli(), sensor, reading),
        (written, error) -> {
          if (error != null) {
            failure.compareAndSet(null, error);
          }
        });
    if (bytes < 0) {
      return;
    }
    Instant window = Instant.ofEpochMilli(time.toEpochMilli() - time.toEpochMilli() % 60_000);
    add(allBySite, allBySensor, site, window, reading);
    if (bytes >= SiteReadings.LARGE) {
      add(largeBySite, largeBySensor, site, window, reading);
    }
  }

  private static void add(
      Map<String, Map<Instant, Total>> bySite,
      Map<String, Total> bySensor,
      String site,
      Instant window,
      Reading reading) {
    bySite
        .computeIfAbsent(site, s -> new ConcurrentHashMap<>())
        .merge(
            window,
            Total.NONE.add(reading),
            (a, b) -> new Total(a.count() + b.count(), a.bytes() + b.bytes()));
    bySensor.merge(
        reading.sensor(),
        Total.NONE.add(reading),
        (a, b) -> new Total(a.count() + b.count(), a.bytes() + b.bytes()));
  }

  /** The expected windows of {@code site}, by start, counting every reading or only large ones. */
  Map<Instant, Total> expectedWindows(String site, boolean onlyLarge) {
    return new TreeMap<>((onlyLarge ? largeBySite : allBySite).getOrDefault(site, Map.of()));
  }

  /** The expected total of {@code sensor}. */
  Total expectedTotal(String sensor, boolean onlyLarge) {
    return (onlyLarge ? largeBySensor : allBySensor).getOrDefault(sensor, Total.NONE);
  }

  /** The sensors that produced a reading. */
  java.util.Set<String> sensors() {
    return new java.util.TreeSet<>(allBySensor.keySet());
  }

  @Override
  public void close() {
    stop();
    producer.close();
  }
}
