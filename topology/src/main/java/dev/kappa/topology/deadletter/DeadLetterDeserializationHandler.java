package dev.kappa.topology.deadletter;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/**
 * Sends a record whose key or value cannot be deserialized to the job's dead-letter topic and goes
 * on with the next record. It uses Kafka Streams' built-in dead-letter support ({@code
 * errors.dead.letter.queue.topic.name}), which keeps the original key and value bytes and adds
 * headers with the source topic, partition, offset, exception class and message (see {@link
 * DeadLetter}), and it counts the record in the instance's {@link DeadLetterMetrics}.
 */
public class DeadLetterDeserializationHandler extends LogAndContinueExceptionHandler {

  private DeadLetterMetrics metrics = new DeadLetterMetrics();

  /** Kafka Streams creates handlers by reflection. */
  public DeadLetterDeserializationHandler() {}

  @Override
  public void configure(Map<String, ?> configs) {
    super.configure(configs);
    requireDeadLetterTopic(configs);
    metrics = DeadLetterMetrics.from(configs);
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    Response response = super.handleError(context, record, exception);
    metrics.record(context.topic(), context.taskId());
    List<ProducerRecord<byte[], byte[]>> letters =
        DeadLetter.sentNow(response.deadLetterQueueRecords());
    return response.result() == Result.RESUME ? Response.resume(letters) : Response.fail(letters);
  }

  static void requireDeadLetterTopic(Map<String, ?> configs) {
    if (configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG) == null) {
      throw new ConfigException(
          StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
          null,
          "must name the dead-letter topic, or bad records would be dropped without a trace");
    }
  }
}
