package dev.kappa.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.kappa.benchmarks.internal.ScenarioRunner;
import dev.kappa.benchmarks.scenarios.CoarseAggregation;
import dev.kappa.benchmarks.scenarios.KappaFilter;
import dev.kappa.benchmarks.scenarios.NetworkUsage;
import dev.kappa.benchmarks.scenarios.PlainStreamsFilter;
import dev.kappa.benchmarks.scenarios.PlainStreamsWindowedAggregation;
import dev.kappa.benchmarks.scenarios.RawCopy;
import dev.kappa.benchmarks.scenarios.Replay;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scenario of the benchmark on a tiny workload against a real broker, with its outputs
 * checked against results computed here from the generated records: a benchmark must measure a job
 * that computes the right answer. Nothing here is about time.
 *
 * <p>The workload: 2,500 readings of 200 customers at 100 per second of event time, so 25 s that
 * cross one minute boundary, up to 20 s out of order. The join windows (10 s) and graces (30 s) are
 * longer than the span, so that no record is late and every pair within 10 s is expected.
 */
class ScenariosIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final Workload WORKLOAD = Workload.tiny();
  private static final Map<String, List<GeneratedRecord>> GENERATED = WORKLOAD.generated();
  private static final JsonSerde<UsageEvent> READINGS = JsonSerde.of(UsageEvent.class);

  @TempDir Path stateDirectory;

  @BeforeAll
  static void preload() {
    WORKLOAD.preload(kafka.bootstrapServers());
  }

  static Stream<Scenario> scenarios() {
    return Scenarios.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void shouldMeasureEveryRecordOfTheInputsAndComputeTheRightOutput(Scenario scenario) {
    ScenarioRunner runner =
        new ScenarioRunner(kafka.bootstrapServers(), Duration.ofMillis(100), Optional.empty());

    ScenarioRunner.Run run = runner.measure(scenario, 1, "test-" + scenario.id(), stateDirectory);

    long inputRecords = scenario.inputs().stream().mapToLong(t -> GENERATED.get(t).size()).sum();
    assertThat(run.measurement().records()).isEqualTo(inputRecords);
    assertThat(run.measurement().elapsed()).isPositive();
    RunContext context = run.context();
    if (scenario instanceof RawCopy copy && copy.writes()) {
      assertThat(read(context.outputTopic(RawCopy.OUTPUT), ScenariosIT::text))
          .containsExactlyInAnyOrderElementsOf(
              generated(Workload.READINGS, record -> text(record.value())));
    } else if (scenario instanceof RawCopy) {
      // The raw read writes nothing: reading and committing every record, checked above, is all.
      assertThat(scenario.id()).isEqualTo("raw-read");
    } else if (scenario.id().startsWith(Replay.networkUsage().id())) {
      assertThatEveryAlarmMetTheReadingsOfItsNode(
          read(
              Replay.outputTopic(context, NetworkUsageJob.ALARMS_WITH_USAGE.name()),
              this::alarmWithUsage));
    } else if (scenario instanceof Replay) {
      assertThatEveryWindowHasItsSum(read(Replay.updatesTopic(context), this::usage));
    } else if (scenario instanceof PlainStreamsFilter || scenario instanceof KappaFilter) {
      assertThatFilterKeptTheLargeReadings(
          read(context.outputTopic(PlainStreamsFilter.OUTPUT), this::reading));
    } else if (scenario instanceof WindowedAggregation) {
      assertThatEveryWindowHasItsSum(
          read(context.outputTopic(WindowedAggregation.UPDATES.name()), this::usage));
    } else if (scenario instanceof PlainStreamsWindowedAggregation) {
      assertThatEveryWindowHasItsSum(
          read(context.outputTopic(PlainStreamsWindowedAggregation.OUTPUT), this::usage));
    } else if (scenario instanceof CoarseAggregation) {
      assertThatEveryWindowHasItsSum(
          read(context.outputTopic(CoarseAggregation.UPDATES.name()), this::usage),
          reading -> reading.nodeId());
    } else if (scenario instanceof StreamJoin) {
      assertThatEveryPairWithinTenSecondsIsJoined(
          read(context.outputTopic(StreamJoin.PAIRS.name()), this::pair));
    } else if (scenario instanceof NetworkUsage) {
      assertThatEveryAlarmMetTheReadingsOfItsNode(
          read(
              context.outputTopic(NetworkUsageJob.ALARMS_WITH_USAGE.name()), this::alarmWithUsage));
    } else {
      fail("No check of the output of scenario '" + scenario.id() + "': add one here");
    }
  }

  private void assertThatFilterKeptTheLargeReadings(List<Keyed<UsageEvent>> kept) {
    List<Keyed<UsageEvent>> expected = Expected.largeReadings(GENERATED);
    assertThat(expected.size()).isBetween(2_500 * 60 / 100, 2_500 * 90 / 100);
    assertThat(kept).containsExactlyInAnyOrderElementsOf(expected);
  }

  private void assertThatEveryWindowHasItsSum(List<Keyed<Usage>> updates) {
    assertThatEveryWindowHasItsSum(updates, UsageEvent::customerId);
  }

  /** The last update of each window of the readings grouped by {@code group} is its sum. */
  private void assertThatEveryWindowHasItsSum(
      List<Keyed<Usage>> updates, Function<UsageEvent, String> group) {
    Map<String, Usage> expected = Expected.windowSums(GENERATED, group);
    assertThat(expected.keySet().stream().map(w -> w.substring(w.indexOf('@'))).distinct())
        .as("the workload crosses a window boundary")
        .hasSize(2);
    // the updates of one window are in order in its partition: the last one is its result
    assertThat(Expected.lastOfEachKey(updates)).isEqualTo(expected);
  }

  private void assertThatEveryPairWithinTenSecondsIsJoined(List<Keyed<UsagePair>> pairs) {
    List<Keyed<UsagePair>> expected = Expected.pairs(GENERATED);
    assertThat(expected).hasSizeGreaterThan(1_000);
    assertThat(pairs).containsExactlyInAnyOrderElementsOf(expected);
  }

  private void assertThatEveryAlarmMetTheReadingsOfItsNode(List<Keyed<AlarmWithUsage>> joined) {
    assertThat(GENERATED.get(Workload.ALARMS)).isNotEmpty();
    // Alarms without a reading are emitted only once their window closes, after the workload ends.
    assertThat(joined).containsExactlyInAnyOrderElementsOf(Expected.alarmsWithReadings(GENERATED));
  }

  private <V> List<Keyed<V>> generated(String topic, Function<GeneratedRecord, V> value) {
    return GENERATED.get(topic).stream()
        .map(record -> new Keyed<>(record.key(), value.apply(record)))
        .toList();
  }

  private static String text(byte[] value) {
    return new String(value, StandardCharsets.UTF_8);
  }

  private UsageEvent reading(byte[] value) {
    return READINGS.deserialize("", value);
  }

  private Usage usage(byte[] value) {
    return JsonSerde.of(Usage.class).deserialize("", value);
  }

  private UsagePair pair(byte[] value) {
    return JsonSerde.of(UsagePair.class).deserialize("", value);
  }

  private AlarmWithUsage alarmWithUsage(byte[] value) {
    return JsonSerde.of(AlarmWithUsage.class).deserialize("", value);
  }

  private static <V> List<Keyed<V>> read(String topic, Function<byte[], V> values) {
    return OutputTopic.read(kafka.bootstrapServers(), topic, values);
  }
}
