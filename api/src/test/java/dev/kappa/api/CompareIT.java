package dev.kappa.api;

import static dev.kappa.api.ServingIT.totalOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kappa.api.MeterReadings.Total;
import dev.kappa.api.ServiceInstance.Reply;
import dev.kappa.embedded.EmbeddedKafkaExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Compares v1 and v2 of the meters job through the HTTP API of two instances, against differences
 * computed here from the readings: v2 counts only readings of at least 500 bytes, so a meter whose
 * readings are all large is equal in both, one whose readings are all small is only in v1, and the
 * others differ.
 */
class CompareIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  /** About three readings per meter: some meters have only large or only small readings. */
  private static final Readings READINGS = new Readings(120, 40, 5);

  private static final String COMPARE = "/jobs/meters/compare?versions=1,2";
  private static ServicePair pair;

  @BeforeAll
  static void startBothVersions() throws Exception {
    pair = ServicePair.serving(kafka, "compare", READINGS);
    Reply started =
        pair.a()
            .post("/admin/jobs/meters/versions", "{\"version\":2}", ServiceInstance.ADMIN_TOKEN);
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    await()
        .atMost(ServicePair.TIMEOUT)
        .untilAsserted(
            () -> {
              for (ServiceInstance instance : List.of(pair.a(), pair.b())) {
                assertThat(instance.get("/jobs/meters").body())
                    .doesNotContain("\"status\":\"REPLAYING\"");
              }
            });
  }

  @AfterAll
  static void stop() {
    if (pair != null) {
      pair.close();
    }
  }

  @Test
  void shouldCountAndListTheDifferencesOfATableOnEitherInstance() {
    Expected expected = Expected.of(READINGS.byMeter(0), READINGS.byMeter(MeterReadings.LARGE));
    assertThat(expected.equal()).as("meters equal in both, in this workload").isPositive();
    assertThat(expected.onlyInFirst()).as("meters only in v1, in this workload").isPositive();
    for (ServiceInstance instance : List.of(pair.a(), pair.b())) {
      JsonNode answer = compare(instance, "&table=totals-by-meter&limit=5");
      assertThat(answer.get("versions").toString()).isEqualTo("[1,2]");
      assertThat(answer.get("instances")).hasSize(2);
      JsonNode table = answer.get("tables").get(0);
      assertThat(table.get("table").asText()).isEqualTo("totals-by-meter");
      expected.check(table);
      assertThat(table.get("truncated").asBoolean()).isTrue();
      // The first five differences in key order, with both values.
      List<String> shown = new ArrayList<>();
      for (JsonNode difference : table.get("differences")) {
        shown.add(
            difference.get("kind").asText()
                + " "
                + difference.get("key").asText()
                + " "
                + totalOrNull(difference.get("first"))
                + " "
                + totalOrNull(difference.get("second")));
      }
      assertThat(shown).isEqualTo(expected.differences().subList(0, 5));
    }
  }

  @Test
  void shouldCompareEveryTableOverATimeRange() {
    Instant from = Readings.START.minus(Duration.ofHours(1));
    Instant to = Readings.START.plus(Duration.ofHours(1));
    JsonNode answer = compare(pair.b(), "&from=" + from + "&to=" + to);
    Map<String, Expected> expected = new TreeMap<>();
    expected.put(
        "totals-by-meter", Expected.of(READINGS.byMeter(0), READINGS.byMeter(MeterReadings.LARGE)));
    expected.put(
        "totals-by-floor", Expected.of(READINGS.byFloor(0), READINGS.byFloor(MeterReadings.LARGE)));
    expected.put(
        "totals-by-place", Expected.of(READINGS.byPlace(0), READINGS.byPlace(MeterReadings.LARGE)));
    Map<String, Total> first = new HashMap<>();
    Map<String, Total> second = new HashMap<>();
    for (String site : List.of("site-0", "site-1", "site-2")) {
      READINGS.bySiteWindow(0, site).forEach((start, total) -> first.put(site + start, total));
      READINGS
          .bySiteWindow(MeterReadings.LARGE, site)
          .forEach((start, total) -> second.put(site + start, total));
    }
    expected.put("totals-by-site", Expected.of(first, second));
    Map<String, JsonNode> tables = new TreeMap<>();
    answer.get("tables").forEach(table -> tables.put(table.get("table").asText(), table));
    assertThat(tables.keySet()).isEqualTo(expected.keySet());
    expected.forEach((name, counts) -> counts.check(tables.get(name)));
  }

  @Test
  void shouldCompareARangeOfKeys() {
    Map<String, Total> first = new TreeMap<>(READINGS.byMeter(0));
    Map<String, Total> second = new TreeMap<>(READINGS.byMeter(MeterReadings.LARGE));
    first.keySet().removeIf(meter -> meter.compareTo("m-010") < 0 || meter.compareTo("m-019") > 0);
    second.keySet().removeIf(meter -> meter.compareTo("m-010") < 0 || meter.compareTo("m-019") > 0);
    JsonNode table =
        compare(pair.a(), "&table=totals-by-meter&keyFrom=m-010&keyTo=m-019&limit=100")
            .get("tables")
            .get(0);
    Expected expected = Expected.of(first, second);
    expected.check(table);
    assertThat(table.get("truncated").asBoolean()).isFalse();
    assertThat(table.get("differences")).hasSize(expected.differences().size());
  }

  @Test
  void shouldAnswerABadComparisonWithAProblemSayingWhatToFix() {
    ServiceInstance a = pair.a();
    assertProblem(a.get("/jobs/meters/compare?versions=1,1"), 400, "itself");
    assertProblem(a.get("/jobs/meters/compare?versions=1"), 400, "versions=1,2");
    assertProblem(a.get("/jobs/meters/compare"), 400, "versions=1,2");
    assertProblem(a.get(COMPARE + "&keyFrom=m-001"), 400, "table=");
    assertProblem(a.get(COMPARE + "&table=no-such-table"), 404, "Unknown table 'no-such-table'");
    assertProblem(a.get("/jobs/meters/compare?versions=1,9"), 404, "Unknown version 9");
    assertProblem(a.get("/jobs/nope/compare?versions=1,2"), 404, "Unknown job 'nope'");
  }

  private static void assertProblem(Reply reply, int status, String detail) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    assertThat(reply.json().get("detail").asText()).contains(detail);
  }

  private static JsonNode compare(ServiceInstance instance, String query) {
    Reply reply = instance.get(COMPARE + query);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.json();
  }

  private static String totalOrNull(JsonNode value) {
    return value == null || value.isNull() ? "-" : totalOf(value).toString();
  }

  /**
   * The comparison of two versions' totals, computed from the readings; the differences in the
   * order of {@code first}'s keys.
   */
  private record Expected(
      long equal, long different, long onlyInFirst, long onlyInSecond, List<String> differences) {

    static <K> Expected of(Map<K, Total> first, Map<K, Total> second) {
      long equal = 0;
      long different = 0;
      long onlyInFirst = 0;
      List<String> differences = new ArrayList<>();
      for (Map.Entry<K, Total> entry : first.entrySet()) {
        Total other = second.get(entry.getKey());
        if (other == null) {
          onlyInFirst++;
          differences.add("ONLY_IN_FIRST " + entry.getKey() + " " + entry.getValue() + " -");
        } else if (other.equals(entry.getValue())) {
          equal++;
        } else {
          different++;
          differences.add("DIFFERENT " + entry.getKey() + " " + entry.getValue() + " " + other);
        }
      }
      Set<K> onlyInSecond = new HashSet<>(second.keySet());
      onlyInSecond.removeAll(first.keySet());
      return new Expected(equal, different, onlyInFirst, onlyInSecond.size(), differences);
    }

    void check(JsonNode table) {
      assertThat(table.get("complete").asBoolean()).as(table.toString()).isTrue();
      assertThat(
              List.of(
                  table.get("equal").asLong(),
                  table.get("different").asLong(),
                  table.get("onlyInFirst").asLong(),
                  table.get("onlyInSecond").asLong()))
          .as("equal, different, only in v1, only in v2 of " + table.get("table"))
          .containsExactly(equal, different, onlyInFirst, onlyInSecond);
    }
  }
}
