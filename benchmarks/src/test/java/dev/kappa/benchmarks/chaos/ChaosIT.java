package dev.kappa.benchmarks.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short chaos run of CI: {@code ./chaos --cycles 4 --rate 100}, one cycle of each fault (an
 * instance killed and restarted, one killed while v2 replays, one killed during the swap, the
 * broker restarted), with every process separate. Then every window of the active version's tables
 * and every record of its alarms output must be exactly what {@link ChaosCheck} computes from the
 * source topics. The long runs are {@code ./chaos} (RELIABILITY.md).
 */
class ChaosIT {

  @Test
  @SuppressWarnings("unchecked")
  void shouldLoseDuplicateOrMisstateNothingThroughOneCycleOfEachFault(@TempDir Path work)
      throws Exception {
    Map<String, Object> report = new Chaos(4, 100, 2026, work, System.out).run();

    List<Map<String, Object>> faults = (List<Map<String, Object>>) report.get("faults");
    assertThat(faults)
        .extracting(fault -> fault.get("fault"))
        .containsExactly(
            "kill-instance", "kill-during-replay", "kill-during-swap", "broker-restart");
    assertThat(faults).allSatisfy(fault -> assertThat(fault).containsKey("recoveredAfter"));
    // The replayed version was swapped in, and the old one retired, despite the kills.
    assertThat(report.get("activeVersion")).isEqualTo(2);
    // On a failure, say when and where records were dropped, with the instances' log lines.
    String lateEvidence =
        "late drops after each fault: "
            + faults.stream()
                .map(fault -> fault.get("fault") + " " + fault.get("lateDropped"))
                .toList()
            + "; by step: "
            + report.get("lateDroppedByStep")
            + "; logged: "
            + report.get("lateLog");

    Map<String, ChaosCheck.Tally> tables =
        (Map<String, ChaosCheck.Tally>) ((Map<String, Object>) report.get("check")).get("tables");
    assertThat(tables)
        .containsKeys(
            "usage-by-node",
            "usage-by-agent",
            "usage-network",
            "usage-network-hours",
            "usage-network-days",
            "usage-network-months",
            "alarms-with-usage");
    tables.forEach(
        (table, tally) -> {
          assertThat(tally.checked()).as(table + " checked").isPositive();
          assertThat(tally.exact()).as(table + ": " + tally + "; " + lateEvidence).isTrue();
        });
    // Exact tables, and no record dropped as late on the way either.
    assertThat(((Map<Integer, Long>) report.get("lateDropped")).values())
        .as(lateEvidence)
        .containsOnly(0L);
  }
}
