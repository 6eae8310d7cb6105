package dev.kappa.benchmarks.serving;

import org.jspecify.annotations.Nullable;

/**
 * One key query of a {@link QueryLoad} and what came back.
 *
 * @param startNanos when it was sent, in nanoseconds since the load started
 * @param asked the index of the instance it was sent to, in {@link QueryTarget#urls()}
 * @param latencyNanos from sending to the whole answer read, in nanoseconds
 * @param status the HTTP status, or 0 if no answer came (then {@code error} says why)
 * @param version the version the answer names, or 0 if it names none
 * @param forwarded whether the answer names another instance than the one asked
 * @param error why no answer came, or null
 */
public record QueryAnswer(
    long startNanos,
    int asked,
    long latencyNanos,
    int status,
    int version,
    boolean forwarded,
    @Nullable String error) {

  /** Whether the status is 2xx. */
  public boolean ok() {
    return status / 100 == 2;
  }
}
