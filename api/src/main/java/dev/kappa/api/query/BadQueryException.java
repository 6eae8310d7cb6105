package dev.kappa.api.query;

import dev.kappa.topology.KappaException;

/** A query the service cannot read: a malformed key, time or version. Answered with 400. */
public class BadQueryException extends KappaException {

  /** A bad query, for the reason in {@code message}, which says what to send instead. */
  public BadQueryException(String message) {
    super(message);
  }
}
