package dev.kappa.api.peer;

import dev.kappa.topology.KappaException;

/** This instance cannot forward a query to the instance that holds its data. Answered with 503. */
public class NotRoutableException extends KappaException {

  /** Not routable, for the reason in {@code message}. */
  public NotRoutableException(String message) {
    super(message);
  }
}
