package dev.kappa.api.query;

import dev.kappa.reprocessing.JobVersion;
import dev.kappa.topology.KappaException;

/** A key-value table has no value for a key. Answered with 404, naming the version and instance. */
public class KeyNotFoundException extends KappaException {

  private final JobVersion version;
  private final String instance;

  /** {@code version} on {@code instance} has no such key, as {@code message} says. */
  public KeyNotFoundException(String message, JobVersion version, String instance) {
    super(message);
    this.version = version;
    this.instance = instance;
  }

  /** The version that was asked. */
  public JobVersion version() {
    return version;
  }

  /** The instance that answered. */
  public String instance() {
    return instance;
  }
}
