package dev.kappa.benchmarks.chaos;

import dev.kappa.examples.networkusage.UsageGenerator;
import dev.kappa.examples.networkusage.UsageGenerator.GeneratedRecord;
import dev.kappa.examples.networkusage.UsageGenerator.Mix;
import dev.kappa.examples.networkusage.UsageGenerator.Shape;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The producer of the chaos harness, in a process of its own: {@code <bootstrap servers> <readings
 * per second> <seed>}. It writes generated readings (and the alarms that follow some of them) at a
 * steady rate, with the clock as their event time, idempotently, until its standard input closes;
 * then it flushes and prints {@code PRODUCED <readings> <alarms> <failed>}. While the broker is
 * down it blocks and goes on when it is back.
 */
public final class ProducerMain {

  private ProducerMain() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    int rate = Integer.parseInt(args[1]);
    long seed = Long.parseLong(args[2]);
    UsageGenerator generator =
        new UsageGenerator(
            seed, Shape.of(20_000, 200, 10), new Mix(0.05, Duration.ofSeconds(10), 0, 0.002));
    Thread stdin =
        new Thread(
            () -> {
              try {
                while (System.in.read() != -1) {
                  // open as long as the harness wants readings
                }
              } catch (IOException e) {
                // the harness is gone: stop too
              }
            });
    stdin.setDaemon(true);
    stdin.start();
    AtomicLong failed = new AtomicLong();
    long readings = 0;
    long alarms = 0;
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.LINGER_MS_CONFIG,
                5,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                600_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                600_000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class))) {
      long started = System.nanoTime();
      while (stdin.isAlive()) {
        long due = (System.nanoTime() - started) * rate / 1_000_000_000L;
        if (readings >= due) {
          Thread.sleep(5);
          continue;
        }
        for (GeneratedRecord record : generator.next(Instant.now())) {
          producer.send(
              record.toProducerRecord(),
              (metadata, error) -> {
                if (error != null) {
                  failed.incrementAndGet();
                }
              });
          if (record.kind() == UsageGenerator.Kind.ALARM) {
            alarms++;
          } else {
            readings++;
          }
        }
      }
      producer.flush();
    }
    System.out.println("PRODUCED " + readings + " " + alarms + " " + failed.get());
    System.out.flush();
  }
}
