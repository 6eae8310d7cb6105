package dev.kappa.topology.deadletter;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Sends a record whose processing throws (including a record rejected by a validation step, see
 * {@link InvalidRecordException}) to the job's dead-letter topic and goes on with the next record.
 * Like {@link DeadLetterDeserializationHandler}, it uses Kafka Streams' built-in dead-letter
 * support: the dead letter holds the bytes of the record as it was read from its source topic, with
 * headers naming that topic, partition and offset and the exception's class and message. It counts
 * the record in the instance's {@link DeadLetterMetrics}.
 */
public class DeadLetterProcessingHandler extends LogAndContinueProcessingExceptionHandler {

  private DeadLetterMetrics metrics = new DeadLetterMetrics();

  /** Kafka Streams creates handlers by reflection. */
  public DeadLetterProcessingHandler() {}

  @Override
  public void configure(Map<String, ?> configs) {
    super.configure(configs);
    DeadLetterDeserializationHandler.requireDeadLetterTopic(configs);
    metrics = DeadLetterMetrics.from(configs);
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    Response response = super.handleError(context, record, exception);
    metrics.record(context.topic(), context.taskId());
    List<ProducerRecord<byte[], byte[]>> letters =
        DeadLetter.sentNow(response.deadLetterQueueRecords());
    return response.result() == Result.RESUME ? Response.resume(letters) : Response.fail(letters);
  }
}
