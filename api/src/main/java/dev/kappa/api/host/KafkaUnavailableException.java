package dev.kappa.api.host;

import dev.kappa.topology.KappaException;
import java.time.Duration;

/**
 * An operation needs the Kafka cluster, which does not answer: an admin command, a replay's
 * progress, the dead letters. Retry after {@link #retryAfter()}, when the service asks Kafka again;
 * queries are still answered from local state meanwhile.
 */
public final class KafkaUnavailableException extends KappaException {

  private final Duration retryAfter;

  /** Kafka does not answer, for the reason in {@code message}; retry after {@code retryAfter}. */
  public KafkaUnavailableException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  /** How long to wait before asking again. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
