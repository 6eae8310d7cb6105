package dev.kappa.api.host;

import dev.kappa.reprocessing.query.UnknownTableException;

/** A request names a job this service does not host. Answered with 404. */
public class UnknownJobException extends UnknownTableException {

  /** The job is unknown, as {@code message} says. */
  public UnknownJobException(String message) {
    super(message);
  }
}
