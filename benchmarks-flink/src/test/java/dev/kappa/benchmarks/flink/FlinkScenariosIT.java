package dev.kappa.benchmarks.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kappa.benchmarks.Measurement;
import dev.kappa.benchmarks.RunContext;
import dev.kappa.benchmarks.Scenario;
import dev.kappa.benchmarks.internal.RunProcess;
import dev.kappa.benchmarks.scenarios.PlainStreamsFilter;
import dev.kappa.benchmarks.scenarios.Scenarios;
import dev.kappa.benchmarks.scenarios.StreamJoin;
import dev.kappa.benchmarks.scenarios.UsagePair;
import dev.kappa.benchmarks.scenarios.WindowedAggregation;
import dev.kappa.benchmarks.workload.Expected;
import dev.kappa.benchmarks.workload.Keyed;
import dev.kappa.benchmarks.workload.OutputTopic;
import dev.kappa.benchmarks.workload.Workload;
import dev.kappa.embedded.EmbeddedKafkaExtension;
import dev.kappa.examples.networkusage.AlarmWithUsage;
import dev.kappa.examples.networkusage.NetworkUsageJob;
import dev.kappa.examples.networkusage.Usage;
import dev.kappa.examples.networkusage.UsageEvent;
import dev.kappa.examples.networkusage.UsageGenerator.GeneratedRecord;
import dev.kappa.serde.JsonSerde;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Flink peer's scenarios on the tiny workload of {@code ScenariosIT} against a real broker,
 * measured by the same harness as in {@code ./bench} (each run in a JVM of its own, from the Flink
 * peer's class path), with their outputs checked against the results computed from the generated
 * records by {@link Expected}: the same values Kappa's scenarios are checked against, so that both
 * engines are shown to do the same work.
 */
class FlinkScenariosIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final Workload WORKLOAD = Workload.tiny();
  private static final Map<String, List<GeneratedRecord>> GENERATED = WORKLOAD.generated();

  @TempDir Path stateDirectory;

  @BeforeAll
  static void preload() {
    WORKLOAD.preload(kafka.bootstrapServers());
  }

  static Stream<Scenario> scenarios() {
    return new FlinkScenarios().scenarios().stream();
  }

  @Test
  void shouldBeListedWithTheKappaScenariosEachWithTheScenarioThatDoesTheSameWork() {
    List<String> ids = Scenarios.all().stream().map(Scenario::id).toList();
    assertThat(scenarios().map(Scenario::id))
        .containsExactly(
            "flink-filter",
            "flink-windowed-aggregation",
            "flink-stream-join",
            "flink-network-usage",
            "flink-filter-parallelism-2",
            "flink-windowed-aggregation-parallelism-2",
            "flink-stream-join-parallelism-2",
            "flink-network-usage-parallelism-2");
    assertThat(ids).containsAll(scenarios().map(Scenario::id).toList());
    assertThat(scenarios().map(scenario -> scenario.sameWorkAs().orElseThrow()))
        .allSatisfy(kappa -> assertThat(ids).contains(kappa));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void shouldMeasureEveryRecordAndComputeWhatKappaComputes(Scenario scenario) {
    String group = "test-" + scenario.id();

    Measurement measurement =
        RunProcess.measure(
            List.of("-Xmx1g"),
            kafka.bootstrapServers(),
            null,
            scenario,
            1,
            group,
            Duration.ofMillis(100),
            true);

    long inputRecords = scenario.inputs().stream().mapToLong(t -> GENERATED.get(t).size()).sum();
    assertThat(measurement.records()).isEqualTo(inputRecords);
    // the run's names: only outputTopic is used
    RunContext context =
        new RunContext(kafka.bootstrapServers(), group, 4, Duration.ZERO, stateDirectory, Map.of());
    String job = ((FlinkPeer) scenario).job();
    if (job.endsWith(".FlinkFilter")) {
      assertThat(read(context, PlainStreamsFilter.OUTPUT, UsageEvent.class))
          .containsExactlyInAnyOrderElementsOf(Expected.largeReadings(GENERATED));
    } else if (job.endsWith(".FlinkWindowedAggregation")) {
      assertThat(lastOfEachWindow(context, WindowedAggregation.UPDATES.name()))
          .isEqualTo(Expected.windowSums(GENERATED, UsageEvent::customerId));
    } else if (job.endsWith(".FlinkStreamJoin")) {
      assertThat(read(context, StreamJoin.PAIRS.name(), UsagePair.class))
          .hasSizeGreaterThan(1_000)
          .containsExactlyInAnyOrderElementsOf(Expected.pairs(GENERATED));
    } else if (job.endsWith(".FlinkNetworkUsage")) {
      assertThatTheNetworkUsageTablesAreRight(context);
    } else {
      throw new AssertionError("No check of the output of " + scenario.id());
    }
  }

  private void assertThatTheNetworkUsageTablesAreRight(RunContext context) {
    assertThat(lastOfEachWindow(context, NetworkUsageJob.USAGE_BY_NODE.name()))
        .isEqualTo(Expected.windowSums(GENERATED, UsageEvent::nodeId));
    assertThat(lastOfEachWindow(context, NetworkUsageJob.USAGE_BY_AGENT.name()))
        .isEqualTo(Expected.windowSums(GENERATED, UsageEvent::agentId));
    Map<String, Usage> minutes = Expected.windowSums(GENERATED, reading -> NetworkUsageJob.NETWORK);
    assertThat(minutes).hasSize(2);
    assertThat(lastOfEachWindow(context, NetworkUsageJob.USAGE_NETWORK.name())).isEqualTo(minutes);
    assertThat(lastOfEachWindow(context, NetworkUsageJob.USAGE_NETWORK_HOURS.name()))
        .isEqualTo(rolledUp(minutes, start -> start.truncatedTo(ChronoUnit.HOURS)));
    assertThat(lastOfEachWindow(context, NetworkUsageJob.USAGE_NETWORK_DAYS.name()))
        .isEqualTo(rolledUp(minutes, start -> start.truncatedTo(ChronoUnit.DAYS)));
    assertThat(lastOfEachWindow(context, NetworkUsageJob.USAGE_NETWORK_MONTHS.name()))
        .isEqualTo(
            rolledUp(
                minutes,
                start ->
                    YearMonth.from(start.atZone(ZoneOffset.UTC))
                        .atDay(1)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant()));
    Map<String, Usage> customers = new HashMap<>();
    GENERATED
        .get(Workload.READINGS)
        .forEach(
            record ->
                customers.merge(record.key(), new Usage(record.reading().bytes(), 1), Usage::plus));
    assertThat(
            Expected.lastOfEachKey(
                read(context, NetworkUsageJob.USAGE_BY_CUSTOMER.name(), Usage.class)))
        .isEqualTo(customers);
    assertThat(read(context, NetworkUsageJob.ALARMS_WITH_USAGE.name(), AlarmWithUsage.class))
        .containsExactlyInAnyOrderElementsOf(Expected.alarmsWithReadings(GENERATED));
    assertThat(read(context, "dead-letters", String.class)).isEmpty();
  }

  /**
   * The sums of {@code minutes} ({@code network@<start>}) by the coarser start {@code of} gives.
   */
  private static Map<String, Usage> rolledUp(
      Map<String, Usage> minutes, UnaryOperator<Instant> of) {
    Map<String, Usage> rolledUp = new HashMap<>();
    minutes.forEach(
        (window, usage) -> {
          Instant start = of.apply(Instant.parse(window.substring(window.indexOf('@') + 1)));
          rolledUp.merge(NetworkUsageJob.NETWORK + "@" + start, usage, Usage::plus);
        });
    return rolledUp;
  }

  private static Map<String, Usage> lastOfEachWindow(RunContext context, String output) {
    return Expected.lastOfEachKey(read(context, output, Usage.class));
  }

  private static <V> List<Keyed<V>> read(RunContext context, String output, Class<V> type) {
    Function<byte[], V> values = value -> JsonSerde.of(type).deserialize("", value);
    return OutputTopic.read(kafka.bootstrapServers(), context.outputTopic(output), values);
  }
}
