package dev.kappa.reprocessing.replay.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.metrics.KafkaMetric;

/**
 * The producer of a stream thread under exactly-once, which tells its {@link EventTimeGate} the
 * source offsets of every transaction that commits: Kafka Streams commits the consumed offsets with
 * the transaction ({@link #sendOffsetsToTransaction}, then {@link #commitTransaction}), so only
 * then are the records before them safe from being processed again. An aborted transaction reports
 * nothing. Everything else is passed on unchanged.
 *
 * <p>Used by one stream thread, like the producer it wraps.
 */
final class CommitReportingProducer implements Producer<byte[], byte[]> {

  private final Producer<byte[], byte[]> delegate;
  private final EventTimeGate gate;
  private Map<TopicPartition, OffsetAndMetadata> pending = Map.of();

  CommitReportingProducer(Producer<byte[], byte[]> delegate, EventTimeGate gate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.gate = Objects.requireNonNull(gate, "gate");
  }

  @Override
  public void sendOffsetsToTransaction(
      Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
    delegate.sendOffsetsToTransaction(offsets, groupMetadata);
    pending = Map.copyOf(offsets);
  }

  @Override
  public void commitTransaction() {
    delegate.commitTransaction();
    Map<TopicPartition, OffsetAndMetadata> committed = pending;
    pending = Map.of();
    if (!committed.isEmpty()) {
      gate.committed(committed);
    }
  }

  @Override
  public void abortTransaction() {
    pending = Map.of();
    delegate.abortTransaction();
  }

  @Override
  public void initTransactions() {
    delegate.initTransactions();
  }

  @Override
  public void beginTransaction() {
    delegate.beginTransaction();
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
    return delegate.send(record);
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
    return delegate.send(record, callback);
  }

  @Override
  public void flush() {
    delegate.flush();
  }

  @Override
  public List<PartitionInfo> partitionsFor(String topic) {
    return delegate.partitionsFor(topic);
  }

  @Override
  public Map<MetricName, ? extends Metric> metrics() {
    return delegate.metrics();
  }

  @Override
  public Uuid clientInstanceId(Duration timeout) {
    return delegate.clientInstanceId(timeout);
  }

  @Override
  public void registerMetricForSubscription(KafkaMetric metric) {
    delegate.registerMetricForSubscription(metric);
  }

  @Override
  public void unregisterMetricFromSubscription(KafkaMetric metric) {
    delegate.unregisterMetricFromSubscription(metric);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public void close(Duration timeout) {
    delegate.close(timeout);
  }
}
