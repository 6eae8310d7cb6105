package dev.kappa.reprocessing.query;

import dev.kappa.topology.KappaException;

/**
 * The key lives on another instance: ask the instance in {@link #location()} (the serving layer
 * forwards the query there).
 */
public class KeyElsewhereException extends KappaException {

  private final KeyLocation location;

  /** The key is held at {@code location}. */
  public KeyElsewhereException(String message, KeyLocation location) {
    super(message);
    this.location = location;
  }

  /** Where the key lives. */
  public KeyLocation location() {
    return location;
  }
}
