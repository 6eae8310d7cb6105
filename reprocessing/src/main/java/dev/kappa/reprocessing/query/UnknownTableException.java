package dev.kappa.reprocessing.query;

import dev.kappa.topology.KappaException;

/**
 * The job, serving table or version asked for does not exist here, or the table cannot answer that
 * kind of query. The message names what is known instead.
 */
public class UnknownTableException extends KappaException {

  /** The query names something unknown, as {@code message} says. */
  public UnknownTableException(String message) {
    super(message);
  }
}
