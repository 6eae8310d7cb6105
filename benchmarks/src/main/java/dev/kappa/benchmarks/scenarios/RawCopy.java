package dev.kappa.benchmarks.scenarios;

import dev.kappa.benchmarks.RunContext;
import dev.kappa.benchmarks.ScenarioRun;
import dev.kappa.benchmarks.workload.Workload;
import dev.kappa.topology.runtime.ProcessingGuarantee;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;

/**
 * The limit: one thread copies every record of the readings, bytes as they are, from a {@link
 * KafkaConsumer} to a {@link KafkaProducer} into the same partition of the output {@value #OUTPUT},
 * flushing the producer and committing the consumer's position every commit interval
 * (at-least-once). No Kafka Streams, no deserialization. {@link #readOnly()} only reads and
 * commits: the limit of a replay, which reads the retained log.
 */
public final class RawCopy extends AbstractScenario {

  /** The name of the output. */
  public static final String OUTPUT = "copy";

  private final boolean writes;

  /** The copy. */
  public RawCopy() {
    this("raw-copy", "raw copy: KafkaConsumer -> KafkaProducer, at-least-once", true);
  }

  private RawCopy(String id, String description, boolean writes) {
    super(id, description, Set.of(Workload.READINGS), ProcessingGuarantee.AT_LEAST_ONCE);
    this.writes = writes;
  }

  /** The read alone: a {@link KafkaConsumer} reads every record and commits, writing nothing. */
  public static RawCopy readOnly() {
    return new RawCopy("raw-read", "raw read: KafkaConsumer alone, committing", false);
  }

  /** Whether it writes the copies to {@value #OUTPUT}. */
  public boolean writes() {
    return writes;
  }

  @Override
  public ScenarioRun start(RunContext context) {
    String output = context.outputTopic(OUTPUT);
    if (writes) {
      context.createTopics(List.of(output));
    }
    Copier copier = new Copier(context, writes ? output : null);
    Thread thread = new Thread(copier, id());
    thread.start();
    return new ScenarioRun() {
      @Override
      public void checkAlive() {
        Throwable failure = copier.failure.get();
        if (failure != null) {
          throw new IllegalStateException("Scenario '" + id() + "' stopped: " + failure, failure);
        }
      }

      @Override
      public void close() {
        copier.consumer.wakeup();
        try {
          thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }

  private static final class Copier implements Runnable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final @Nullable String output;
    private final long commitNanos;
    private final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();

    /** A copier into {@code output}; with none, a reader that only commits. */
    Copier(RunContext context, @Nullable String output) {
      this.consumer =
          new KafkaConsumer<>(
              context.consumerConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
      this.producer =
          new KafkaProducer<>(
              context.producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
      this.output = output;
      this.commitNanos = context.commitInterval().toNanos();
    }

    @Override
    public void run() {
      try (consumer;
          producer) {
        consumer.subscribe(List.of(Workload.READINGS));
        long nextCommit = System.nanoTime() + commitNanos;
        boolean uncommitted = false;
        while (true) {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            uncommitted = true;
            if (output == null) {
              continue;
            }
            producer.send(
                new ProducerRecord<>(
                    output,
                    record.partition(),
                    record.timestamp(),
                    record.key(),
                    record.value(),
                    record.headers()),
                (metadata, error) -> {
                  if (error != null) {
                    failure.compareAndSet(null, error);
                  }
                });
          }
          if (uncommitted && System.nanoTime() >= nextCommit) {
            // At-least-once: the copies are written before the offsets that cover them commit.
            producer.flush();
            consumer.commitSync();
            uncommitted = false;
            nextCommit = System.nanoTime() + commitNanos;
          }
        }
      } catch (WakeupException e) {
        // close(): the harness has seen the last commit.
      } catch (RuntimeException e) {
        failure.compareAndSet(null, e);
      }
    }
  }
}
