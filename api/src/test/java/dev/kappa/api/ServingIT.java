package dev.kappa.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kappa.api.MeterReadings.Place;
import dev.kappa.api.MeterReadings.Total;
import dev.kappa.api.ServiceInstance.Reply;
import dev.kappa.embedded.EmbeddedKafkaExtension;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two instances of the service on different ports, serving v1 of the meters job from a real broker:
 * keys answered through either instance, ranges merged from both, keys of every declared type,
 * windows, bad inputs as problem+json, and admin operations closed to anonymous callers.
 */
class ServingIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final int METERS = 60;
  private static final Readings READINGS = new Readings(4_000, METERS, 7);
  private static final String TABLES = "/jobs/meters/tables/";
  private static final Duration TIMEOUT = ServicePair.TIMEOUT;

  private static ServicePair pair;
  private static ServiceInstance a;
  private static ServiceInstance b;

  @BeforeAll
  static void startTwoInstances() throws Exception {
    pair = ServicePair.serving(kafka, "serving", READINGS);
    a = pair.a();
    b = pair.b();
  }

  @AfterAll
  static void stop() {
    if (pair != null) {
      pair.close();
    }
  }

  @Test
  void shouldAnswerAKeyHeldByTheOtherInstanceThroughThisOne() {
    Map<String, Total> expected = READINGS.byMeter(0);
    Set<String> servedBy = new HashSet<>();
    for (String meter : expected.keySet()) {
      for (ServiceInstance asked : List.of(a, b)) {
        Reply reply = asked.get(TABLES + "totals-by-meter/keys/" + meter);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode answer = reply.json();
        assertThat(totalOf(answer.get("value"))).as(meter).isEqualTo(expected.get(meter));
        assertThat(answer.get("version").asInt()).isEqualTo(1);
        assertThat(answer.get("key").asText()).isEqualTo(meter);
        servedBy.add(asked.name() + " <- " + answer.get("instance").asText());
      }
    }
    // Each instance answered keys it holds and keys the other holds.
    assertThat(servedBy)
        .containsExactlyInAnyOrder(
            a.name() + " <- " + a.name(),
            a.name() + " <- " + b.name(),
            b.name() + " <- " + a.name(),
            b.name() + " <- " + b.name());
  }

  @Test
  void shouldMergeARangeFromBothInstancesSortedByKey() {
    Map<String, Total> expected = READINGS.byMeter(0);
    for (ServiceInstance asked : List.of(a, b)) {
      JsonNode range = asked.get(TABLES + "totals-by-meter/keys?from=m-010&to=m-019").json();
      assertThat(range.get("version").asInt()).isEqualTo(1);
      assertThat(texts(range.get("instances"))).containsExactlyInAnyOrder(a.name(), b.name());
      List<String> keys = new ArrayList<>();
      for (JsonNode row : range.get("rows")) {
        keys.add(row.get("key").asText());
        assertThat(totalOf(row.get("value"))).isEqualTo(expected.get(row.get("key").asText()));
      }
      assertThat(keys)
          .containsExactly(
              "m-010", "m-011", "m-012", "m-013", "m-014", "m-015", "m-016", "m-017", "m-018",
              "m-019");
    }
    JsonNode limited = a.get(TABLES + "totals-by-meter/keys?limit=5").json();
    assertThat(limited.get("count").asInt()).isEqualTo(5);
    assertThat(limited.get("truncated").asBoolean()).isTrue();
    // The first keys of all, though each instance holds only some of them.
    assertThat(texts(limited.get("rows").findValues("key")))
        .containsExactly("m-000", "m-001", "m-002", "m-003", "m-004");
  }

  @Test
  void shouldAnswerKeysOfEveryDeclaredType() {
    // Floors and places are re-keyed, a repartition: wait until every reading has reached them.
    await().atMost(TIMEOUT).untilAsserted(this::assertKeysOfEveryType);
  }

  private void assertKeysOfEveryType() {
    READINGS
        .byFloor(0)
        .forEach(
            (floor, total) -> {
              JsonNode answer = a.get(TABLES + "totals-by-floor/keys/" + floor).json();
              assertThat(answer.get("key").asInt()).isEqualTo(floor);
              assertThat(totalOf(answer.get("value"))).isEqualTo(total);
            });
    Map<Place, Total> places = READINGS.byPlace(0);
    assertThat(places).hasSizeGreaterThan(3);
    places.forEach(
        (place, total) -> {
          String key = "{\"site\":\"" + place.site() + "\",\"floor\":" + place.floor() + "}";
          Reply reply = b.get(TABLES + "totals-by-place/keys/" + encode(key));
          assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
          assertThat(reply.json().get("key").get("site").asText()).isEqualTo(place.site());
          assertThat(totalOf(reply.json().get("value"))).isEqualTo(total);
        });
    JsonNode floors = b.get(TABLES + "totals-by-floor/keys").json();
    assertThat(floors.get("rows")).hasSize(4);
    assertThat(floors.get("rows").get(3).get("key").asInt()).isEqualTo(3);
  }

  @Test
  void shouldAnswerTheWindowsOfAKeyAndOfAllKeysBetweenTwoInstants() {
    // The windows are re-keyed by site, a repartition: wait until every reading has reached them.
    await().atMost(TIMEOUT).untilAsserted(this::assertWindows);
  }

  private void assertWindows() {
    Instant from = Readings.START;
    Instant to = Readings.START.plus(Duration.ofMinutes(2));
    for (String site : List.of("site-0", "site-1", "site-2")) {
      Map<Instant, Total> expected = READINGS.bySiteWindow(0, site);
      JsonNode answer =
          a.get(TABLES + "totals-by-site/keys/" + site + "/windows?from=" + from + "&to=" + to)
              .json();
      List<Instant> starts = new ArrayList<>();
      for (JsonNode window : answer.get("windows")) {
        Instant start = Instant.parse(window.get("start").asText());
        starts.add(start);
        assertThat(totalOf(window.get("value")))
            .as(site + " " + start)
            .isEqualTo(expected.get(start));
        assertThat(Instant.parse(window.get("end").asText()))
            .isEqualTo(start.plus(Duration.ofMinutes(1)));
      }
      assertThat(starts).containsExactly(from, from.plus(Duration.ofMinutes(1)), to);
    }
    JsonNode all = b.get(TABLES + "totals-by-site/windows?from=" + from + "&to=" + to).json();
    assertThat(all.get("rows")).hasSize(9);
    assertThat(texts(all.get("instances"))).containsExactlyInAnyOrder(a.name(), b.name());
    JsonNode first = all.get("rows").get(0);
    assertThat(first.get("key").asText()).isEqualTo("site-0");
    assertThat(totalOf(first.get("value"))).isEqualTo(READINGS.bySiteWindow(0, "site-0").get(from));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/jobs/meters/tables/no-such-table/keys/m-001 | 404 | Unknown table 'no-such-table'",
        "/jobs/no-such-job/tables/totals-by-meter/keys/m-001 | 404 | Unknown job 'no-such-job'",
        "/jobs/meters/tables/totals-by-meter/keys/m-001?version=9 | 404 | Unknown version 9",
        "/jobs/meters/tables/totals-by-meter/keys/m-001?version=x | 400 | Bad version 'x'",
        "/jobs/meters/tables/totals-by-meter/keys/no-such-meter | 404 | has no key 'no-such-meter'",
        "/jobs/meters/tables/totals-by-floor/keys/first | 400 | Bad key 'first'",
        "/jobs/meters/tables/totals-by-place/keys/site-0 | 400 | Bad key 'site-0'",
        "/jobs/meters/tables/totals-by-site/keys/site-0/windows?from=2026-11-23T11:00:00Z&to=2026-11-23T10:00:00Z | 400 | is after to",
        "/jobs/meters/tables/totals-by-site/keys/site-0/windows?from=yesterday | 400 | Bad time 'yesterday'",
        "/jobs/meters/tables/totals-by-meter/keys/m-001/windows | 400 | it is a KEY_VALUE table",
        "/jobs/meters/tables/totals-by-site/keys | 400 | Ask for the windows of a key",
        "/jobs/meters/tables/totals-by-meter/keys?limit=0 | 400 | Bad limit '0'",
        "/no/such/path | 404 | No such resource",
        "/openapi/no-such-document.yml | 404 | No OpenAPI document no-such-document.yml",
      })
  void shouldAnswerBadInputsWithAProblemThatSaysWhatToFix(String path, int status, String detail) {
    Reply reply = a.get(path);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    JsonNode problem = reply.json();
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("type").asText()).startsWith("https://kappa.dev/problems/");
    assertThat(problem.get("detail").asText()).contains(detail);
  }

  @Test
  void shouldNameThePathAskedInTheProblemOfAMissingKeyWhereverItWouldBe() {
    // One of the two instances holds the key's partition and the other forwards the query to it.
    String path = TABLES + "totals-by-meter/keys/no-such-meter";
    Set<String> servedBy = new HashSet<>();
    for (ServiceInstance asked : List.of(a, b)) {
      Reply reply = asked.get(path);
      assertThat(reply.status()).as(reply.toString()).isEqualTo(404);
      assertThat(reply.contentType()).startsWith("application/problem+json");
      assertThat(reply.json().get("instance").asText()).isEqualTo(path);
      servedBy.add(reply.json().get("servedBy").asText());
    }
    assertThat(servedBy).hasSize(1).containsAnyOf(a.name(), b.name());
  }

  @Test
  void shouldRefuseAdminOperationsWithoutCredentialsAndChangeNothing() {
    JsonNode before = versions(a);
    List<Reply> refused =
        List.of(
            a.post("/admin/jobs/meters/versions", "{\"version\":2}", null),
            a.post("/admin/jobs/meters/versions", "{\"version\":2}", "not-the-token"),
            b.post("/admin/jobs/meters/swap", "{\"to\":2,\"force\":true}", null),
            b.post("/admin/jobs/meters/rollback", "", null),
            a.post("/admin/jobs/meters/versions/1/retire", "", null),
            a.get("/admin/jobs/meters/versions/1/progress"));
    for (Reply reply : refused) {
      assertThat(reply.status()).as(reply.toString()).isEqualTo(401);
      assertThat(reply.contentType()).startsWith("application/problem+json");
      assertThat(reply.json().get("detail").asText()).contains("credentials");
    }
    // The internal endpoints are for instances only: anonymous 401, an admin 403.
    assertThat(a.get("/internal/jobs/meters/tables/totals-by-meter/keys/m-001").status())
        .isEqualTo(401);
    assertThat(
            a.get(
                    "/internal/jobs/meters/tables/totals-by-meter/keys/m-001",
                    ServiceInstance.ADMIN_TOKEN)
                .status())
        .isEqualTo(403);
    // A peer is not an admin.
    assertThat(a.post("/admin/jobs/meters/rollback", "", ServiceInstance.PEER_TOKEN).status())
        .isEqualTo(403);
    assertThat(versions(a)).isEqualTo(before);
    assertThat(texts(before.findValues("version"))).containsExactly("1");
  }

  /** The job's active version and each version's status, without what changes by itself. */
  private static JsonNode versions(ServiceInstance instance) {
    ObjectNode job = instance.get("/jobs/meters").json().deepCopy();
    job.withArray("versions").forEach(version -> ((ObjectNode) version).remove("stateHere"));
    return job;
  }

  @Test
  void shouldRefuseAdminCommandsThatBreakTheRulesWithAConflict() {
    Reply swap = a.post("/admin/jobs/meters/swap", "{\"to\":1}", ServiceInstance.ADMIN_TOKEN);
    assertThat(swap.status()).as(swap.toString()).isEqualTo(409);
    assertThat(swap.json().get("detail").asText()).contains("v1");
    Reply retire = a.post("/admin/jobs/meters/versions/1/retire", "", ServiceInstance.ADMIN_TOKEN);
    assertThat(retire.status()).as(retire.toString()).isEqualTo(409);
    Reply unknown =
        a.post("/admin/jobs/meters/versions", "{\"version\":7}", ServiceInstance.ADMIN_TOKEN);
    assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
    assertThat(unknown.json().get("detail").asText()).contains("no code");
    Reply noProgress = a.get("/admin/jobs/meters/versions/9/progress", ServiceInstance.ADMIN_TOKEN);
    assertThat(noProgress.status()).as(noProgress.toString()).isEqualTo(404);
    assertThat(noProgress.json().get("type").asText()).endsWith("/unknown-version");
    Reply malformed =
        a.post("/admin/jobs/meters/versions", "{version", ServiceInstance.ADMIN_TOKEN);
    assertThat(malformed.status()).as(malformed.toString()).isEqualTo(400);
    assertThat(malformed.contentType()).startsWith("application/problem+json");
    assertThat(malformed.json().get("type").asText()).endsWith("/bad-request");
    assertThat(malformed.json().get("instance").asText()).isEqualTo("/admin/jobs/meters/versions");
    // A body larger than the service takes (1 MiB), refused from its announced length: a problem
    // that names the request's own path, never the placeholder Netty gives a request it could not
    // decode.
    Reply tooLarge =
        a.postHead("/admin/jobs/meters/versions", 1_100_000, ServiceInstance.ADMIN_TOKEN);
    assertThat(tooLarge.status()).as(tooLarge.toString()).isEqualTo(413);
    assertThat(tooLarge.contentType()).startsWith("application/problem+json");
    assertThat(tooLarge.json().get("type").asText()).endsWith("/request-entity-too-large");
    assertThat(tooLarge.json().get("detail").asText()).contains("1048576");
    assertThat(tooLarge.json().get("instance").asText()).isEqualTo("/admin/jobs/meters/versions");
  }

  @Test
  void shouldAnswerFuzzedQueriesAndAdminRequestsWithA2xxOrA4xxProblemNeverA5xx() {
    // A longer or another fuzz: -Dkappa.fuzz.seed=<n> -Dkappa.fuzz.requests=<n>
    long seed = Long.getLong("kappa.fuzz.seed", 20261203);
    int requests = Integer.getInteger("kappa.fuzz.requests", 5_000);
    RequestFuzz fuzz = new RequestFuzz(seed);
    Map<Integer, Integer> byStatus = new TreeMap<>();
    for (int i = 0; i < requests; i++) {
      RequestFuzz.Request request = fuzz.next();
      ServiceInstance instance = i % 2 == 0 ? a : b;
      Reply reply;
      try {
        reply =
            instance.send(
                request.method(),
                request.path(),
                request.body(),
                request.contentType(),
                request.token());
      } catch (UncheckedIOException e) {
        // Over the 1 MiB body or the 4 KiB request line (Netty's default) the service takes, the
        // server answers 413 or 414 and closes the connection as soon as it has read that much: a
        // client still sending the rest may see the connection closed before it reads the answer.
        // Any other request must be answered.
        boolean bodyTooLarge =
            request.body() != null
                && request.body().getBytes(StandardCharsets.UTF_8).length > 1024 * 1024;
        boolean lineTooLong =
            (request.method() + " " + request.path() + " HTTP/1.1")
                    .getBytes(StandardCharsets.UTF_8)
                    .length
                > 4096;
        if (bodyTooLarge || lineTooLong) {
          byStatus.merge(0, 1, Integer::sum);
          continue;
        }
        throw new AssertionError(
            "request " + i + " of seed " + seed + ": " + request + " got no answer", e);
      }
      String what = "request " + i + " of seed " + seed + ": " + request + " -> " + reply;
      byStatus.merge(reply.status(), 1, Integer::sum);
      assertThat(reply.status()).as(what).isBetween(200, 499);
      if (reply.status() >= 400) {
        assertThat(reply.contentType()).as(what).startsWith("application/problem+json");
        JsonNode problem = reply.json();
        assertThat(problem.get("status").asInt()).as(what).isEqualTo(reply.status());
        assertThat(problem.get("type").asText()).as(what).startsWith("https://kappa.dev/problems/");
        assertThat(problem.get("detail").asText()).as(what).isNotBlank();
      } else {
        assertThat(reply.json()).as(what).isNotNull();
      }
    }
    System.out.println("Fuzzed requests by status: " + byStatus);
    // The fuzz reached past routing: some answers, and more than one kind of refusal.
    assertThat(byStatus.keySet()).contains(200, 400, 401, 404);
  }

  @Test
  void shouldReportReadinessMetricsAndTheOpenApiDocument() {
    Reply readiness = a.get("/health/readiness");
    assertThat(readiness.status()).as(readiness.toString()).isEqualTo(200);
    assertThat(readiness.json().get("status").asText()).isEqualTo("UP");
    assertThat(readiness.body()).contains("\"version\":1", "RUNNING");
    assertThat(a.get("/health/liveness").status()).isEqualTo(200);
    a.get(TABLES + "totals-by-meter/keys/m-001");
    String metrics = a.get("/prometheus").body();
    assertThat(metrics)
        .contains("kappa_query_seconds", "routing=\"", "kafka_stream", "kappa_dead_letters");
    Reply openApi = a.get("/openapi/kappa-0.1.yml");
    assertThat(openApi.status()).isEqualTo(200);
    assertThat(openApi.contentType()).startsWith("application/yaml");
    assertThat(openApi.body())
        .contains("/jobs/{job}/tables/{table}/keys/{key}", "/admin/jobs/{job}/swap")
        .doesNotContain("/internal/");
  }

  @Test
  void shouldRefuseToStartWithASkewNotBelowTheJobsSmallestGrace() {
    // Kafka answers, so the host is built at once, and refuses the settings before it connects.
    assertThatThrownBy(
            () ->
                ServiceInstance.start(
                    kafka.bootstrapServers(),
                    Files.createTempDirectory("skewed"),
                    "skewed-registry",
                    Map.of("kappa.replay.max-event-time-skew", "2h")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Cannot align job 'meters' (meters-v1) with a maximum event-time skew of PT2H: its step"
                + " 'totals-by-site' has the smallest grace, PT1H,");
  }

  static Total totalOf(JsonNode value) {
    return new Total(value.get("count").asLong(), value.get("bytes").asLong());
  }

  static List<String> texts(Iterable<JsonNode> nodes) {
    List<String> texts = new ArrayList<>();
    nodes.forEach(node -> texts.add(node.asText()));
    return texts;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
