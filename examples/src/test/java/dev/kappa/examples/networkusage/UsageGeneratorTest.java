package dev.kappa.examples.networkusage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kappa.examples.networkusage.UsageGenerator.GeneratedRecord;
import dev.kappa.examples.networkusage.UsageGenerator.Kind;
import dev.kappa.examples.networkusage.UsageGenerator.Mix;
import dev.kappa.examples.networkusage.UsageGenerator.Shape;
import dev.kappa.serde.JsonSerde;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class UsageGeneratorTest {

  private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
  private static final Mix MIX = new Mix(0.05, Duration.ofSeconds(20), 0.01, 0.01);

  @Test
  void shouldProduceTheSameRecordsForTheSameSeed() {
    List<GeneratedRecord> first =
        generate(new UsageGenerator(7, Shape.of(1_000, 20, 4), MIX), 2_000);
    List<GeneratedRecord> second =
        generate(new UsageGenerator(7, Shape.of(1_000, 20, 4), MIX), 2_000);

    assertThat(first).hasSameSizeAs(second);
    for (int i = 0; i < first.size(); i++) {
      assertThat(first.get(i).value()).isEqualTo(second.get(i).value());
      assertThat(first.get(i).key()).isEqualTo(second.get(i).key());
    }
  }

  @Test
  void shouldAttachEachCustomerToOneNodeAndEachNodeToOneAgent() {
    List<GeneratedRecord> records =
        generate(new UsageGenerator(1, Shape.of(1_000, 20, 4), MIX), 20_000);
    List<UsageEvent> readings =
        records.stream()
            .filter(r -> r.kind() == Kind.READING)
            .map(GeneratedRecord::reading)
            .toList();

    Map<String, List<String>> nodesByCustomer =
        distinct(readings, UsageEvent::customerId, UsageEvent::nodeId);
    Map<String, List<String>> agentsByNode =
        distinct(readings, UsageEvent::nodeId, UsageEvent::agentId);

    assertThat(nodesByCustomer.values()).allSatisfy(nodes -> assertThat(nodes).hasSize(1));
    assertThat(agentsByNode).hasSize(20);
    assertThat(agentsByNode.values()).allSatisfy(agents -> assertThat(agents).hasSize(1));
    assertThat(agentsByNode.values().stream().map(agents -> agents.get(0)).distinct()).hasSize(4);
    assertThat(readings).allSatisfy(reading -> assertThat(reading.bytes()).isNotNegative());
  }

  @Test
  void shouldMixDisorderWithinItsBoundMalformedRecordsAndAlarms() {
    List<GeneratedRecord> records = new ArrayList<>();
    UsageGenerator generator = new UsageGenerator(3, Shape.of(1_000, 20, 4), MIX);
    Instant clock = START;
    int outOfOrder = 0;
    for (int i = 0; i < 20_000; i++) {
      clock = clock.plusMillis(10);
      for (GeneratedRecord record : generator.next(clock)) {
        if (record.kind() == Kind.READING) {
          assertThat(Duration.between(record.timestamp(), clock))
              .isBetween(Duration.ZERO, Duration.ofSeconds(20));
          outOfOrder += record.timestamp().isBefore(clock) ? 1 : 0;
        }
        records.add(record);
      }
    }
    Map<Kind, Long> counts =
        records.stream()
            .collect(Collectors.groupingBy(GeneratedRecord::kind, Collectors.counting()));

    assertThat(counts.get(Kind.MALFORMED)).isBetween(150L, 250L);
    assertThat(counts.get(Kind.ALARM)).isBetween(150L, 250L);
    assertThat(outOfOrder).isBetween(800, 1_200);
    JsonSerde<UsageEvent> serde = JsonSerde.of(UsageEvent.class);
    long unreadable =
        records.stream()
            .filter(r -> r.kind() == Kind.MALFORMED)
            .filter(
                r -> {
                  try {
                    UsageEvent event = serde.deserialize("usage-events", r.value());
                    assertThat(NetworkUsageJob.problem(event)).isPresent();
                    return false;
                  } catch (SerializationException notJson) {
                    return true;
                  }
                })
            .count();
    assertThat(unreadable).isPositive();
  }

  @Test
  void shouldRefuseAHierarchyWithMoreNodesThanCustomers() {
    assertThatThrownBy(() -> Shape.of(10, 20, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Need customers >= nodes >= agents >= 1, got customers=10, nodes=20, agents=4");
  }

  private static List<GeneratedRecord> generate(UsageGenerator generator, int readings) {
    List<GeneratedRecord> records = new ArrayList<>();
    for (int i = 0; i < readings; i++) {
      records.addAll(generator.next(START.plusMillis(i)));
    }
    return records;
  }

  private static Map<String, List<String>> distinct(
      List<UsageEvent> readings,
      Function<UsageEvent, String> key,
      Function<UsageEvent, String> value) {
    return readings.stream()
        .collect(
            Collectors.groupingBy(
                key,
                Collectors.mapping(
                    value, Collectors.collectingAndThen(Collectors.toSet(), List::copyOf))));
  }
}
