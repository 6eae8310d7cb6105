package dev.kappa.reprocessing.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kappa.reprocessing.registry.RegistryCommand.CaughtUp;
import dev.kappa.reprocessing.registry.RegistryCommand.Retired;
import dev.kappa.reprocessing.registry.RegistryCommand.RolledBack;
import dev.kappa.reprocessing.registry.RegistryCommand.Started;
import dev.kappa.reprocessing.registry.RegistryCommand.Swapped;
import org.junit.jupiter.api.Test;

class JobHistoryTest {

  private static final String JOB = "sites";

  private static JobHistory fold(RegistryCommand... commands) {
    JobHistory history = JobHistory.empty(JOB);
    for (RegistryCommand command : commands) {
      history = history.apply(command);
    }
    return history;
  }

  private static Started start(int version) {
    return new Started(JOB, version, false, false, "a");
  }

  @Test
  void shouldMakeTheFirstVersionActiveAtOnceAndLaterOnesOnlyBySwap() {
    JobHistory history = fold(start(1), start(2));

    assertThat(history.active()).hasValue(1);
    assertThat(history.version(2).orElseThrow().status()).isEqualTo(VersionStatus.REPLAYING);
    assertThat(history.sequence()).isEqualTo(2);
  }

  @Test
  void shouldRefuseASwapToAVersionThatHasNotCaughtUpUnlessForced() {
    JobHistory history = fold(start(1), start(2));

    assertThatThrownBy(() -> history.apply(new Swapped(JOB, 1, 2, false)))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessage(
            "Cannot swap job 'sites' to v2: v2 has not caught up. Wait for catch-up (see its replay"
                + " progress) or force the swap.");
    assertThat(history.apply(new Swapped(JOB, 1, 2, true)).active()).hasValue(2);
  }

  @Test
  void shouldRefuseToSwapToAVersionThatDroppedRecordsAsLateUnlessForced() {
    JobHistory history = fold(start(1), start(2), new CaughtUp(JOB, 2, 1_234));

    assertThat(history.version(2).orElseThrow().lateDropped()).isEqualTo(1_234);
    assertThatThrownBy(() -> history.apply(new Swapped(JOB, 1, 2, false)))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessage(
            "Cannot swap job 'sites' to v2: v2 dropped 1,234 records as late while it caught up,"
                + " so its tables miss them. Replay it again as a new version with a larger grace"
                + " or a smaller skew (see its replay progress for the disorder seen), or force the"
                + " swap.");
    assertThat(history.apply(new Swapped(JOB, 1, 2, true)).active()).hasValue(2);
  }

  @Test
  void shouldSwapRollBackAndSwapAgain() {
    JobHistory swapped =
        fold(start(1), start(2), new CaughtUp(JOB, 2, 0), new Swapped(JOB, 1, 2, false));
    assertThat(swapped.active()).hasValue(2);
    assertThat(swapped.previous()).hasValue(1);

    JobHistory rolledBack = swapped.apply(new RolledBack(JOB, 2, 1));
    assertThat(rolledBack.active()).hasValue(1);
    assertThat(rolledBack.previous()).hasValue(2);
  }

  @Test
  void shouldRefuseToRetireTheActiveVersionAndToRollBackToARetiredOne() {
    JobHistory swapped =
        fold(start(1), start(2), new CaughtUp(JOB, 2, 0), new Swapped(JOB, 1, 2, false));

    assertThatThrownBy(() -> swapped.apply(new Retired(JOB, 2)))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessage(
            "Cannot retire 'sites' v2: it is the active version. Swap to another version first.");
    JobHistory retired = swapped.apply(new Retired(JOB, 1));
    assertThat(retired.previous()).isEmpty();
    assertThat(retired.running()).extracting(state -> state.version().number()).containsExactly(2);
    assertThatThrownBy(() -> retired.apply(new RolledBack(JOB, 2, 1)))
        .hasMessageStartingWith("Cannot roll back job 'sites': no earlier version to return to");
    assertThatThrownBy(() -> retired.apply(new Swapped(JOB, 2, 1, true)))
        .hasMessage(
            "Cannot swap to 'sites' v1: it is retired. Known versions: [v1 RETIRED, v2 CAUGHT_UP"
                + " (active)].");
  }

  @Test
  void shouldRefuseToStartAVersionNumberTwice() {
    JobHistory history = fold(start(1), start(2), new Retired(JOB, 2));

    assertThatThrownBy(() -> history.apply(start(2)))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessage(
            "Cannot start 'sites' v2: it was started before and is RETIRED. Start a new version"
                + " number, for example v3.");
  }

  @Test
  void shouldRefuseASwapFromAVersionThatIsNoLongerActive() {
    JobHistory history =
        fold(start(1), start(2), start(3), new CaughtUp(JOB, 2, 0), new CaughtUp(JOB, 3, 0));
    JobHistory swapped = history.apply(new Swapped(JOB, 1, 2, false));

    // Written from the same history as the swap to v2, a swap to v3 is stale.
    assertThatThrownBy(() -> swapped.apply(new Swapped(JOB, 1, 3, false)))
        .hasMessage(
            "Cannot swap job 'sites' from v1: the active version is v2 (another command came"
                + " first?).");
  }
}
