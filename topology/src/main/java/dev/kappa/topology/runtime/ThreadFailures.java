package dev.kappa.topology.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * What an error that ends a stream thread does to a job. An error of Kafka's clients or brokers (an
 * {@link ApiException} among its causes: a commit that fails with {@code InvalidTxnStateException}
 * after a long broker outage, a timeout, a fenced producer) replaces the thread, which starts its
 * tasks again from their last commit; under exactly-once the open transaction is aborted, so
 * nothing is counted twice. At most {@link #MAX_REPLACEMENTS} in {@link #WINDOW}: an error that
 * keeps coming, or any other error (a bug in the job's code), shuts the Kafka Streams client down,
 * as a restart would not help. Thread-safe.
 */
final class ThreadFailures {

  /** The most threads replaced in {@link #WINDOW} before the client is shut down. */
  static final int MAX_REPLACEMENTS = 5;

  /** The time over which replacements are counted. */
  static final Duration WINDOW = Duration.ofMinutes(10);

  private final LongSupplier nanoClock;
  private final Deque<Long> replaced = new ArrayDeque<>();

  ThreadFailures(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** What {@code error}, which ended a stream thread, does. */
  synchronized StreamThreadExceptionResponse respond(Throwable error) {
    if (!isKafkaError(error)) {
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    long now = nanoClock.getAsLong();
    while (!replaced.isEmpty() && now - replaced.peekFirst() >= WINDOW.toNanos()) {
      replaced.removeFirst();
    }
    if (replaced.size() >= MAX_REPLACEMENTS) {
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    replaced.addLast(now);
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }

  /** How many threads were replaced in the last {@link #WINDOW}, this one included. */
  synchronized int recentReplacements() {
    return replaced.size();
  }

  private static boolean isKafkaError(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof ApiException) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }
}
