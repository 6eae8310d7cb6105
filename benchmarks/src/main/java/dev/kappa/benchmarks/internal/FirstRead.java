package dev.kappa.benchmarks.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * Notes the clock and CPU time when a run's consumer first returns records: the start of the
 * measured span, after the group has formed and the clients have connected. A consumer interceptor
 * ({@link Interceptor}) calls it; {@link #consumerSettings()} installs that interceptor with the
 * name under which this instance is registered in its JVM. The settings are all text, so that an
 * engine that ships its consumer settings to its tasks serialized (Flink) finds the instance too.
 * Thread-safe.
 */
final class FirstRead {

  /** The consumer setting that carries the instance's name to the interceptor. */
  static final String CONFIG = "kappa.benchmark.first-read";

  private static final Map<String, FirstRead> REGISTERED = new ConcurrentHashMap<>();
  private static final AtomicLong NAMES = new AtomicLong();

  private final String name = "first-read-" + NAMES.incrementAndGet();
  private final Optional<ProcessHandle> broker;
  private final AtomicReference<ResourceUse> first = new AtomicReference<>();

  FirstRead(Optional<ProcessHandle> broker) {
    this.broker = broker;
    REGISTERED.put(name, this);
  }

  /** The settings for a consumer whose first records start the span. */
  Map<String, Object> consumerSettings() {
    return Map.of(
        ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, Interceptor.class.getName(), CONFIG, name);
  }

  /** The moment the first records were read, if they were. */
  Optional<ResourceUse> moment() {
    return Optional.ofNullable(first.get());
  }

  private void mark() {
    if (first.get() == null) {
      first.compareAndSet(null, ResourceUse.now(broker));
    }
  }

  /** Calls {@link FirstRead#mark()} for the first non-empty poll. */
  public static final class Interceptor implements ConsumerInterceptor<Object, Object> {
    private @Nullable FirstRead firstRead;

    @Override
    public void configure(Map<String, ?> configs) {
      Object configured = configs.get(CONFIG);
      firstRead = configured == null ? null : REGISTERED.get(configured.toString());
      if (firstRead == null) {
        throw new IllegalArgumentException(
            CONFIG + " must name the FirstRead of a run in this JVM, was " + configured);
      }
    }

    @Override
    public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
      if (!records.isEmpty() && firstRead != null) {
        firstRead.mark();
      }
      return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

    @Override
    public void close() {}
  }
}
