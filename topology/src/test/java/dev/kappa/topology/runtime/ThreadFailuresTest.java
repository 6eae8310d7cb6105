package dev.kappa.topology.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class ThreadFailuresTest {

  private final AtomicLong now = new AtomicLong();
  private final ThreadFailures failures = new ThreadFailures(now::get);

  /** A failed commit after a broker outage, as a stream thread ends with it. */
  private static Throwable failedCommit() {
    return new StreamsException(
        "Error encountered trying to commit a transaction",
        new InvalidTxnStateException(
            "The producer attempted a transactional operation in an" + " invalid state."));
  }

  @Test
  void shouldReplaceTheThreadAfterAKafkaErrorAtMostFiveTimesInTenMinutes() {
    for (int i = 0; i < ThreadFailures.MAX_REPLACEMENTS; i++) {
      assertThat(failures.respond(i % 2 == 0 ? failedCommit() : new TimeoutException("t")))
          .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
      now.addAndGet(ThreadFailures.WINDOW.toNanos() / 10);
    }
    assertThat(failures.respond(failedCommit()))
        .as("the sixth within ten minutes")
        .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);

    // Once the first replacement is ten minutes old, one more is allowed.
    now.set(ThreadFailures.WINDOW.toNanos());
    assertThat(failures.respond(failedCommit()))
        .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(failures.recentReplacements()).isEqualTo(ThreadFailures.MAX_REPLACEMENTS);
  }

  @Test
  void shouldShutTheClientDownAfterAnyOtherError() {
    assertThat(failures.respond(new StreamsException("bug", new NullPointerException("x"))))
        .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    assertThat(failures.respond(new IllegalStateException("bug")))
        .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    assertThat(failures.recentReplacements()).isZero();
  }
}
