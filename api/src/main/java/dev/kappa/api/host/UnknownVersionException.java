package dev.kappa.api.host;

import dev.kappa.reprocessing.query.UnknownTableException;

/**
 * A request names a version of a job that the registry does not list, or that this service has no
 * code for. Answered with 404.
 */
public class UnknownVersionException extends UnknownTableException {

  /** The version is unknown, as {@code message} says. */
  public UnknownVersionException(String message) {
    super(message);
  }
}
