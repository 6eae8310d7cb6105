package dev.kappa.benchmarks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kappa.benchmarks.Measurement;
import dev.kappa.benchmarks.RunContext;
import dev.kappa.benchmarks.Scenario;
import dev.kappa.benchmarks.ScenarioRun;
import dev.kappa.benchmarks.scenarios.KappaFilter;
import dev.kappa.benchmarks.scenarios.PlainStreamsFilter;
import dev.kappa.benchmarks.scenarios.RawCopy;
import dev.kappa.topology.runtime.ProcessingGuarantee;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReportTest {

  private static final Scenario RAW = new RawCopy();
  private static final Scenario PLAIN = new PlainStreamsFilter(ProcessingGuarantee.AT_LEAST_ONCE);
  private static final Scenario KAPPA = new KappaFilter(ProcessingGuarantee.AT_LEAST_ONCE);

  @Test
  void shouldDivideTheMedianRatesByThoseOfTheRawCopyAndOfThePlainPeer() {
    Report report =
        new Report(
            Map.of(),
            List.of(RAW, PLAIN, KAPPA),
            List.of(
                run(RAW, 1, 100_000, 1.0),
                run(RAW, 2, 300_000, 1.0),
                run(RAW, 3, 200_000, 1.0),
                run(PLAIN, 1, 190_000),
                run(KAPPA, 1, 180_000),
                run(KAPPA, 2, 170_000)));

    List<Report.Summary> summaries = report.summaries();

    assertThat(summaries)
        .extracting(Report.Summary::scenario)
        .containsExactly("raw-copy", "plain-streams-filter-alos", "kappa-filter-alos");
    Report.Summary raw = summaries.get(0);
    assertThat(raw.recordsPerSecond()).isEqualTo(200_000);
    assertThat(raw.minRecordsPerSecond()).isEqualTo(100_000);
    assertThat(raw.maxRecordsPerSecond()).isEqualTo(300_000);
    Report.Summary kappa = summaries.get(2);
    // the median of an even count is the mean of the middle two
    assertThat(kappa.recordsPerSecond()).isEqualTo(175_000);
    assertThat(kappa.ofRawCopy()).isEqualTo(0.875);
    assertThat(kappa.ofPlainStreams()).isEqualTo(175_000.0 / 190_000);
    assertThat(kappa.goal()).isEqualTo("≥ 0.90 raw: short, ≥ 0.97 plain: short");
    // run and broker: 4 + 2 s of CPU for 1,000,000 records, against 1 + 2 s for the copy
    assertThat(kappa.machineCpuMicrosPerRecord()).isEqualTo(6.0);
    assertThat(kappa.cpuOfRawCopy()).isEqualTo(0.5);
    assertThat(summaries.get(1).goal()).isEqualTo("≥ 0.90 raw: met");
    assertThat(report.markdown())
        .contains("| kappa-filter-alos | 175,000 (170,000 – 180,000) | 0.88 | 0.92 |");
  }

  @Test
  void shouldDivideAKappaScenarioByTheFlinkScenarioThatDoesTheSameWork() {
    Scenario flink = sameWorkAs("flink-filter-alos", KAPPA.id());
    Report report =
        new Report(
            Map.of(),
            List.of(KAPPA, flink),
            List.of(run(KAPPA, 1, 180_000, 4.0), run(flink, 1, 120_000, 7.0)));

    Report.Summary kappa = report.summaries().get(0);

    assertThat(kappa.ofFlink()).isEqualTo(1.5);
    // run and broker: 7 + 2 s of CPU against 4 + 2 s
    assertThat(kappa.cpuOfFlink()).isEqualTo(1.5);
    assertThat(report.summaries().get(1).ofFlink()).isNull();
    assertThat(report.markdown()).contains("| 1.50 (1.50) |");
  }

  /** A scenario of another engine: only its id and what it is the peer of matter to the report. */
  private static Scenario sameWorkAs(String id, String kappa) {
    return new Scenario() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public String description() {
        return id;
      }

      @Override
      public Set<String> inputs() {
        return KAPPA.inputs();
      }

      @Override
      public ProcessingGuarantee guarantee() {
        return KAPPA.guarantee();
      }

      @Override
      public Optional<String> sameWorkAs() {
        return Optional.of(kappa);
      }

      @Override
      public ScenarioRun start(RunContext context) {
        throw new UnsupportedOperationException("a report needs no run");
      }
    };
  }

  private static Measurement run(Scenario scenario, int repetition, double recordsPerSecond) {
    return run(scenario, repetition, recordsPerSecond, 4.0);
  }

  private static Measurement run(
      Scenario scenario, int repetition, double recordsPerSecond, double cpuSeconds) {
    return new Measurement(
        scenario.id(),
        repetition,
        1_000_000,
        Duration.ofNanos((long) (1e15 / recordsPerSecond)),
        recordsPerSecond,
        Duration.ofNanos((long) (cpuSeconds * 1e9)),
        Duration.ofSeconds(2),
        500,
        200);
  }
}
