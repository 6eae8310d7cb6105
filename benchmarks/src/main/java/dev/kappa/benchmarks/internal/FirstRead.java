package dev.kappa.benchmarks.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Notes the clock and CPU time when a run's consumer first returns records: the start of the
 * measured span, after the group has formed and the clients have connected. A consumer interceptor
 * ({@link Interceptor}) calls it; {@link #consumerSettings()} installs that interceptor with this
 * instance. Thread-safe.
 */
final class FirstRead {

  /** The consumer setting that carries the instance to the interceptor. */
  static final String CONFIG = "kappa.benchmark.first-read";

  private final Optional<ProcessHandle> broker;
  private final AtomicReference<ResourceUse> first = new AtomicReference<>();

  FirstRead(Optional<ProcessHandle> broker) {
    this.broker = broker;
  }

  /** The settings for a consumer whose first records start the span. */
  Map<String, Object> consumerSettings() {
    return Map.of(
        ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, Interceptor.class.getName(), CONFIG, this);
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
    private FirstRead firstRead = new FirstRead(Optional.empty());

    @Override
    public void configure(Map<String, ?> configs) {
      Object configured = configs.get(CONFIG);
      if (!(configured instanceof FirstRead)) {
        throw new IllegalArgumentException(
            CONFIG + " must be the FirstRead of the run, was " + configured);
      }
      firstRead = (FirstRead) configured;
    }

    @Override
    public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
      if (!records.isEmpty()) {
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
