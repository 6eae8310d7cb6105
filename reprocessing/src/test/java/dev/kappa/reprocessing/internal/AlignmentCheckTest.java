package dev.kappa.reprocessing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.ReplaySettings;
import dev.kappa.serde.Codec;
import dev.kappa.topology.JobTopology;
import dev.kappa.topology.KappaJob;
import dev.kappa.topology.ServingTable;
import dev.kappa.topology.Source;
import java.time.Duration;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.junit.jupiter.api.Test;

/**
 * The check of a version's windows against the skew it would be aligned with: counts per site and
 * minute with a grace chosen per test, and per site and hour with 30 s grace.
 */
class AlignmentCheckTest {

  private static final JobVersion V2 = JobVersion.of("sites", 2);
  private static final Source<String, String> READINGS =
      Source.of("readings", Codec.string(), Codec.string());
  private static final ServingTable<String, Long> MINUTES =
      ServingTable.windowed("counts-by-minute", Codec.string(), Codec.longs());
  private static final ServingTable<String, Long> HOURS =
      ServingTable.windowed("counts-by-hour", Codec.string(), Codec.longs());

  /** The topology of v2, whose minute windows have {@code minuteGrace}. */
  private static JobTopology topology(Duration minuteGrace) {
    KappaJob job =
        KappaJob.named("sites")
            .source(READINGS)
            .servingTable(HOURS)
            .servingTable(MINUTES)
            .topology(
                b -> {
                  var bySite =
                      b.stream(READINGS)
                          .groupByKey(
                              Grouped.with(
                                  "readings-by-site",
                                  READINGS.keys().serde(),
                                  READINGS.values().serde()));
                  b.aggregate(
                      bySite,
                      TimeWindows.ofSizeAndGrace(Duration.ofHours(1), Duration.ofSeconds(30)),
                      EmitStrategy.onWindowUpdate(),
                      HOURS,
                      () -> 0L,
                      (site, reading, count) -> count + 1);
                  b.aggregate(
                      bySite,
                      TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), minuteGrace),
                      EmitStrategy.onWindowUpdate(),
                      MINUTES,
                      () -> 0L,
                      (site, reading, count) -> count + 1);
                })
            .build();
    return V2.topology(job);
  }

  @Test
  void shouldRefuseASkewThatIsNotBelowTheSmallestGraceNamingTheStep() {
    ReplaySettings settings =
        ReplaySettings.defaults().withMaxEventTimeSkew(Duration.ofSeconds(10));

    assertThatThrownBy(() -> AlignmentCheck.check(V2, topology(Duration.ofSeconds(10)), settings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot align job 'sites' (sites-v2) with a maximum event-time skew of PT10S: its step"
                + " 'counts-by-minute' has the smallest grace, PT10S, and while the job replays or"
                + " lags, records up to the skew plus the disorder of a partition behind the"
                + " others would be dropped there as late. Set a skew below PT10S (half of it"
                + " leaves room for disorder) with ReplaySettings#withMaxEventTimeSkew, leave it"
                + " unset, or give 'counts-by-minute' a larger grace.");
  }

  @Test
  void shouldAcceptASkewBelowTheSmallestGraceWithoutAWarning() {
    ReplaySettings settings = ReplaySettings.defaults().withMaxEventTimeSkew(Duration.ofSeconds(9));

    assertThat(AlignmentCheck.check(V2, topology(Duration.ofSeconds(10)), settings)).isEmpty();
    assertThat(
            AlignmentCheck.check(V2, topology(Duration.ofSeconds(10)), ReplaySettings.defaults()))
        .isEmpty();
  }

  @Test
  void shouldNotCheckAVersionThatIsNotAligned() {
    ReplaySettings settings =
        ReplaySettings.defaults().withMaxEventTimeSkew(Duration.ofMinutes(5)).withoutAlignment();

    assertThat(AlignmentCheck.check(V2, topology(Duration.ZERO), settings)).isEmpty();
  }

  @Test
  void shouldWarnThatAStepWithoutGraceMakesTheReplayTakeTurnsByCommit() {
    assertThat(AlignmentCheck.check(V2, topology(Duration.ZERO), ReplaySettings.defaults()))
        .contains(
            "'sites' v2 aligns its sources with a maximum event-time skew of 0, half the grace of"
                + " its step 'counts-by-minute', which is PT0S: while it replays or lags, a source"
                + " partition passes a record only when no other partition has an uncommitted"
                + " record before it, so the partitions take turns and wait for each other's"
                + " commits, about one record per partition per commit interval where event times"
                + " interleave. A replay of a large log crawls. Give 'counts-by-minute' a grace of"
                + " at least the disorder of its sources plus the skew to replay with (with a grace"
                + " of 0, a record that arrives after stream time has passed its window is dropped"
                + " as late even without a replay).");
  }

  @Test
  void shouldWarnOfASkewOfZeroSetInTheSettings() {
    ReplaySettings settings = ReplaySettings.defaults().withMaxEventTimeSkew(Duration.ZERO);

    assertThat(AlignmentCheck.check(V2, topology(Duration.ofSeconds(10)), settings))
        .hasValueSatisfying(
            warning ->
                assertThat(warning)
                    .startsWith(
                        "'sites' v2 aligns its sources with a maximum event-time skew of 0, as"
                            + " ReplaySettings set it: ")
                    .endsWith(
                        "Set a skew above 0 and below PT10S, the grace of step"
                            + " 'counts-by-minute', or leave it unset."));
  }
}
