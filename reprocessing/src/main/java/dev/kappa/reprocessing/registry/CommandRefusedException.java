package dev.kappa.reprocessing.registry;

import dev.kappa.topology.KappaException;

/**
 * A registry command that breaks a rule: a swap to a version that has not caught up, a retire of
 * the active version, a start of a version number that exists. The message says which rule and what
 * to do. Nothing was written.
 */
public class CommandRefusedException extends KappaException {

  /** A refusal with its reason. */
  public CommandRefusedException(String message) {
    super(message);
  }
}
