package dev.kappa.reprocessing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kappa.reprocessing.CatchUpTimeoutException;
import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.registry.JobHistory;
import dev.kappa.reprocessing.registry.RegistryCommand;
import dev.kappa.reprocessing.registry.VersionStatus;
import dev.kappa.reprocessing.replay.Alignment;
import dev.kappa.reprocessing.replay.PartitionProgress;
import dev.kappa.reprocessing.replay.ReplayProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A wait for a version to catch up, told of registry commands as the registry's thread tells it,
 * with the caller waiting on another thread.
 */
class CatchUpWaitTest {

  private static final String JOB = "sites";
  private static final JobVersion V2 = JobVersion.of(JOB, 2);
  private static final Duration LONG = Duration.ofMinutes(5);

  private static final RegistryCommand START_V1 =
      new RegistryCommand.Started(JOB, 1, false, false, "host-a");
  private static final RegistryCommand START_V2 =
      new RegistryCommand.Started(JOB, 2, false, false, "host-a");
  private static final RegistryCommand V2_CAUGHT_UP = new RegistryCommand.CaughtUp(JOB, 2, 0);

  /** 41,200 of 60,000 records of v2 replayed, as this host measured them. */
  private static final ReplayProgress PROGRESS =
      new ReplayProgress(
          V2,
          Instant.parse("2026-11-22T10:00:00Z"),
          List.of(new PartitionProgress(new TopicPartition("readings", 0), 41_200, 60_000, 18_800)),
          41_200,
          60_000,
          18_800,
          9_850,
          Optional.of(Duration.ofSeconds(2)),
          0,
          Map.of(),
          new Alignment(false, Optional.empty(), Duration.ofSeconds(5), Duration.ZERO, 0, 0, 0),
          false);

  private static JobHistory fold(RegistryCommand... commands) {
    JobHistory history = JobHistory.empty(JOB);
    for (RegistryCommand command : commands) {
      history = history.apply(command);
    }
    return history;
  }

  private static CatchUpWait waitHere(Optional<ReplayProgress> progress) {
    return new CatchUpWait(V2, "host-a", true, () -> progress);
  }

  @Test
  void shouldReturnAtOnceWhenTheRegistryAlreadyListsTheVersionAsCaughtUp() {
    CatchUpWait wait = waitHere(Optional.empty());
    JobHistory caughtUp = fold(START_V1, START_V2, V2_CAUGHT_UP);

    wait.consider(caughtUp);

    assertThat(wait.await(Duration.ZERO)).isEqualTo(caughtUp);
  }

  @Test
  void shouldWakeAsSoonAsTheRegistryMarksTheVersionCaughtUp() throws Exception {
    CatchUpWait wait = waitHere(Optional.empty());
    JobHistory replaying = fold(START_V1, START_V2);
    wait.consider(replaying);
    CompletableFuture<JobHistory> waited = new CompletableFuture<>();
    Thread caller = new Thread(() -> waited.complete(wait.await(LONG)));
    caller.start();
    await().until(() -> caller.getState() == Thread.State.TIMED_WAITING);

    // A command of another job, and v1's catch-up, do not end the wait.
    wait.changed(
        JobHistory.empty("other"),
        JobHistory.empty("other").apply(new RegistryCommand.Started("other", 1, false, false, "b")),
        new RegistryCommand.Started("other", 1, false, false, "b"));
    JobHistory v1CaughtUp = replaying.apply(new RegistryCommand.CaughtUp(JOB, 1, 0));
    wait.changed(replaying, v1CaughtUp, new RegistryCommand.CaughtUp(JOB, 1, 0));
    assertThat(waited).isNotDone();

    JobHistory caughtUp = v1CaughtUp.apply(V2_CAUGHT_UP);
    wait.changed(v1CaughtUp, caughtUp, V2_CAUGHT_UP);

    // Well before the five minutes it would wait.
    assertThat(waited.get(10, TimeUnit.SECONDS).version(2).orElseThrow().status())
        .isEqualTo(VersionStatus.CAUGHT_UP);
  }

  @Test
  void shouldNotReturnForTheFirstVersionOnlyBecauseItIsActive() {
    CatchUpWait wait = new CatchUpWait(JobVersion.of(JOB, 1), "host-a", true, Optional::empty);
    JobHistory started = fold(START_V1);
    assertThat(started.active()).hasValue(1);

    wait.consider(started);

    assertThatThrownBy(() -> wait.await(Duration.ZERO))
        .isInstanceOf(CatchUpTimeoutException.class)
        .hasMessageStartingWith(
            "'sites' v1 has not caught up within PT0S: the registry lists it as REPLAYING.");
  }

  @Test
  void shouldFailAsSoonAsTheVersionIsRetiredWhileWaiting() throws Exception {
    CatchUpWait wait = waitHere(Optional.empty());
    JobHistory replaying = fold(START_V1, START_V2);
    wait.consider(replaying);
    CompletableFuture<JobHistory> waited = CompletableFuture.supplyAsync(() -> wait.await(LONG));

    RegistryCommand retire = new RegistryCommand.Retired(JOB, 2);
    wait.changed(replaying, replaying.apply(retire), retire);

    assertThatThrownBy(() -> waited.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Cannot wait for 'sites' v2 to catch up: it is retired, and a retired version never"
                + " runs again. Start a new version number instead, for example v3.");
  }

  @Test
  void shouldSayAVersionTheRegistryDoesNotListWasNeverStartedWhenTheTimeIsUp() {
    CatchUpWait wait = new CatchUpWait(JobVersion.of(JOB, 7), "host-a", false, Optional::empty);

    wait.consider(fold(START_V1, START_V2, V2_CAUGHT_UP));

    assertThatThrownBy(() -> wait.await(Duration.ofMillis(50)))
        .isInstanceOf(CatchUpTimeoutException.class)
        .hasMessage(
            "'sites' v7 has not caught up within PT0.05S: it was never started. The registry lists"
                + " [v1 REPLAYING (active), v2 CAUGHT_UP]. Start it with JobHost#startVersion, on"
                + " any instance.");
  }

  @Test
  void shouldWaitForAVersionStartedElsewhereThatTheRegistryDoesNotListHereYet() {
    CatchUpWait wait = waitHere(Optional.empty());
    wait.consider(fold(START_V1));

    wait.consider(fold(START_V1, START_V2, V2_CAUGHT_UP));

    assertThat(wait.await(Duration.ZERO).version(2)).isPresent();
  }

  @Test
  void shouldSayHowFarTheVersionGotWhenTheTimeIsUp() {
    CatchUpWait wait = waitHere(Optional.of(PROGRESS));
    wait.consider(fold(START_V1, START_V2));

    assertThatThrownBy(() -> wait.await(Duration.ofMillis(50)))
        .isInstanceOfSatisfying(
            CatchUpTimeoutException.class,
            e -> {
              assertThat(e.version()).isEqualTo(V2);
              assertThat(e.progress()).contains(PROGRESS);
            })
        .hasMessage(
            "'sites' v2 has not caught up within PT0.05S: the registry lists it as REPLAYING. Its"
                + " progress on host host-a: "
                + PROGRESS
                + ". Wait longer, or swap to it with force to serve tables built from part of the"
                + " log.");
    assertThat(PROGRESS.toString()).contains("41,200 of 60,000 records", "lag 18,800");
  }

  @Test
  void shouldSayWhereTheProgressIsMeasuredWhenItIsNotMeasuredHere() {
    CatchUpWait noCode = new CatchUpWait(V2, "host-a", false, Optional::empty);
    noCode.consider(fold(START_V1, START_V2));
    CatchUpWait notYet = waitHere(Optional.empty());
    notYet.consider(fold(START_V1, START_V2));

    assertThatThrownBy(() -> noCode.await(Duration.ZERO))
        .hasMessageContaining(
            "Host host-a does not have its code, so its progress is measured on the instances"
                + " that do.");
    assertThatThrownBy(() -> notYet.await(Duration.ZERO))
        .hasMessageContaining("Host host-a has not measured its progress yet.");
  }

  @Test
  void shouldFailAtOnceWhenTheHostCloses() throws Exception {
    CatchUpWait wait = waitHere(Optional.empty());
    wait.consider(fold(START_V1, START_V2));
    CompletableFuture<JobHistory> waited = CompletableFuture.supplyAsync(() -> wait.await(LONG));

    wait.abort();

    assertThatThrownBy(() -> waited.get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Stopped waiting for 'sites' v2 to catch up: host host-a closed.");
  }
}
