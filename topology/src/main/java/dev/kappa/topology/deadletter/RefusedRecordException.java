package dev.kappa.topology.deadletter;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record that its {@link dev.kappa.topology.Source} refuses as it is read, before the job sees
 * it: a value larger than the source accepts, or an event time outside the source's {@link
 * dev.kappa.topology.EventTimeBounds}. Kafka Streams hands it to the deserialization exception
 * handler, {@link DeadLetterDeserializationHandler}, which sends the record to the dead-letter
 * topic with this exception's class and message. It carries no stack trace: the message is the
 * whole story.
 */
public final class RefusedRecordException extends SerializationException {

  /** A record refused because of {@code reason}, read from {@code topic}. */
  public RefusedRecordException(String topic, String reason) {
    super("Record of '" + topic + "' refused: " + reason);
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
