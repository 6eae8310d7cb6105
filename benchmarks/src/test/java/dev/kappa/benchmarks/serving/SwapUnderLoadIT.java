package dev.kappa.benchmarks.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kappa.benchmarks.scenarios.LargeReadings;
import dev.kappa.benchmarks.workload.Workload;
import dev.kappa.embedded.EmbeddedKafkaExtension;
import dev.kappa.examples.networkusage.Usage;
import dev.kappa.examples.networkusage.UsageEvent;
import dev.kappa.examples.networkusage.UsageGenerator.GeneratedRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 8 on a tiny workload against a real broker: two instances, v1 serving, v2 started,
 * caught up and swapped to under query load. Checks what the callers saw, not how fast: no failed
 * query, answers from both versions and both local and forwarded, v1 only before the swap call and
 * v2 only once it has spread, and every value that each version gave is that version's window sum
 * computed here from the generated readings (v2 counts only readings of at least 100 bytes).
 *
 * <p>The workload: 2,500 readings of 200 customers at 100 per second of event time, so 25 s that
 * cross one minute boundary.
 */
class SwapUnderLoadIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final Workload WORKLOAD = Workload.tiny();

  @TempDir Path stateRoot;

  @Test
  void shouldAnswerEveryQueryFromOneVersionOrTheOtherWhileTheJobSwaps() {
    WORKLOAD.preload(kafka.bootstrapServers());
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    SwapUnderLoad scenario =
        new SwapUnderLoad(
            kafka.bootstrapServers(),
            WORKLOAD,
            stateRoot,
            "swap-test",
            Duration.ofSeconds(8),
            2,
            new PrintStream(progress, true, StandardCharsets.UTF_8));

    SwapUnderLoad.Result result = scenario.run();

    Answers answers = result.answers();
    assertThat(answers.failures()).as(result.markdown()).isZero();
    assertThat(answers.byVersion()).as(result.markdown()).containsOnlyKeys(1, 2);
    assertThat(answers.latencies(false).count()).isPositive();
    assertThat(answers.latencies(true).count()).as(result.markdown()).isPositive();
    assertThat(result.swapVisible()).as(result.markdown()).isPresent();
    Map<String, Answers> phases = result.phases();
    assertThat(phases.get("before").byVersion()).containsKey(1);
    // A query sent just before the swap call may be read after it and answer from v2, but no answer
    // from v2 came back before the swap was called.
    long swapCalled = result.swapCalled().toNanos();
    assertThat(phases.get("before").all())
        .filteredOn(answer -> answer.version() == 2)
        .allSatisfy(
            answer ->
                assertThat(answer.startNanos() + answer.latencyNanos()).isGreaterThan(swapCalled));
    assertThat(phases.get("after").byVersion()).containsOnlyKeys(2);
    assertThat(result.markdown()).contains("| before", "| during", "| after", "forwarded");

    Map<Integer, Map<String, Map<Instant, Usage>>> expected = expectedWindows();
    for (int version : new int[] {1, 2}) {
      Map<String, JsonNode> seen = answers.lastValues().get(version);
      assertThat(seen).as("keys answered by v%d", version).isNotEmpty();
      seen.forEach(
          (customer, windows) ->
              assertThat(windows(windows))
                  .as("v%d, %s", version, customer)
                  .isEqualTo(expected.get(version).get(customer)));
    }
  }

  /** The windows of each customer by version: v1 counts every reading, v2 the large ones. */
  private static Map<Integer, Map<String, Map<Instant, Usage>>> expectedWindows() {
    Map<Integer, Map<String, Map<Instant, Usage>>> expected = new HashMap<>();
    WORKLOAD.generate(
        (topic, record) -> {
          if (topic.equals(Workload.READINGS)) {
            add(expected, 1, record, true);
            add(expected, 2, record, LargeReadings.keep(record.key(), record.reading()));
          }
        });
    return expected;
  }

  private static void add(
      Map<Integer, Map<String, Map<Instant, Usage>>> expected,
      int version,
      GeneratedRecord record,
      boolean counts) {
    UsageEvent reading = record.reading();
    Instant start = record.timestamp().truncatedTo(ChronoUnit.MINUTES);
    expected
        .computeIfAbsent(version, v -> new HashMap<>())
        .computeIfAbsent(record.key(), k -> new TreeMap<>())
        .merge(
            start,
            counts ? Usage.NONE.add(reading) : Usage.NONE,
            (a, b) -> new Usage(a.bytes() + b.bytes(), a.readings() + b.readings()));
  }

  private static Map<Instant, Usage> windows(JsonNode windows) {
    Map<Instant, Usage> found = new TreeMap<>();
    for (JsonNode window : windows) {
      JsonNode value = window.get("value");
      found.put(
          Instant.parse(window.get("start").asText()),
          new Usage(value.get("bytes").asLong(), value.get("readings").asLong()));
    }
    return found;
  }
}
