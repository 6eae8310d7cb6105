package dev.kappa.topology.deadletter;

import dev.kappa.topology.KappaException;

/**
 * A record that a job's validation step rejected. It is thrown inside the topology and handled by
 * {@link DeadLetterProcessingHandler}, which sends the record to the dead-letter topic with this
 * exception's class and message in its headers. It carries no stack trace: the message is the whole
 * story, and dead-lettering many records must stay cheap.
 */
public final class InvalidRecordException extends KappaException {

  private final String step;
  private final String reason;

  /** A record rejected by the validation step {@code step} because of {@code reason}. */
  public InvalidRecordException(String step, String reason) {
    super("Record rejected by '" + step + "': " + reason);
    this.step = step;
    this.reason = reason;
  }

  /** The name of the validation step that rejected the record. */
  public String step() {
    return step;
  }

  /** Why the record was rejected. */
  public String reason() {
    return reason;
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
