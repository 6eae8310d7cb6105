package dev.kappa.reprocessing.query;

import dev.kappa.topology.KappaException;
import java.time.Duration;

/**
 * A serving table cannot answer yet: its store is restoring, migrating in a rebalance, or the
 * instance is starting. Retry after {@link #retryAfter()}; the answer is not "empty".
 */
public class StoreNotReadyException extends KappaException {

  private final Duration retryAfter;

  /** Not ready, for the reason in {@code message}; retry after {@code retryAfter}. */
  public StoreNotReadyException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  /** How long to wait before asking again. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
