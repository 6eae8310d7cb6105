package dev.kappa.examples.demo;

import static dev.kappa.examples.demo.DemoHttp.freePort;
import static dev.kappa.examples.demo.DemoHttp.get;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The demo as the README runs it: its own embedded broker, two instances of the service, the
 * generator, v1 of the job and its report, the URLs to ask the service, then the reprocessing loop
 * (v2 replays, the swap, v1 retired), in under a minute.
 */
class NetworkUsageDemoIT {

  private static final String TIME = "\\d\\d:\\d\\d:\\d\\d";

  @Test
  void shouldRunTheReprocessingLoopOnAnEmbeddedBrokerAndReportEachStep() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int port = freePort();
    int port2 = freePort();
    DemoOptions options =
        DemoOptions.parse(
            new String[] {
              "--seconds",
              "60",
              "--reprocess-after",
              "8",
              "--rate",
              "1000",
              "--agents",
              "4",
              "--port",
              String.valueOf(port),
              "--port2",
              String.valueOf(port2)
            });
    String a = "http://localhost:" + port;
    String b = "http://localhost:" + port2;
    String tables = "/jobs/network-usage/tables/";

    try (PrintStream out = new PrintStream(printed, true, UTF_8)) {
      CompletableFuture<Void> demo =
          CompletableFuture.runAsync(
              () -> {
                try {
                  KappaDemo.run(options, out);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      String keyUrl = a + tables + "usage-by-node/keys/n-0001/windows";
      await("the demo to print " + keyUrl)
          .atMost(Duration.ofSeconds(60))
          .until(() -> demo.isDone() || printed.toString(UTF_8).contains(keyUrl));
      await("an answer from " + keyUrl)
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          // A request that times out on a busy machine is asked again.
          .ignoreExceptionsInstanceOf(IOException.class)
          .untilAsserted(
              () -> {
                HttpResponse<String> response = get(keyUrl);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                JsonNode answer = new ObjectMapper().readTree(response.body());
                assertThat(answer.path("version").asInt()).as(response.body()).isEqualTo(1);
                assertThat(answer.path("key").asText()).isEqualTo("n-0001");
                // The printed range asks both instances and merges their answers.
                HttpResponse<String> range = get(a + tables + "usage-by-agent/windows?limit=20");
                assertThat(range.statusCode()).as(range.body()).isEqualTo(200);
                assertThat(new ObjectMapper().readTree(range.body()).path("instances"))
                    .as(range.body())
                    .hasSize(2);
                // The printed key of the key-value table: one customer's total.
                HttpResponse<String> customer = get(a + tables + "usage-by-customer/keys/c-000123");
                assertThat(customer.statusCode()).as(customer.body()).isIn(200, 404);
                HttpResponse<String> customers =
                    get(b + tables + "usage-by-customer/keys?from=c-000100&to=c-000109");
                assertThat(customers.statusCode()).as(customers.body()).isEqualTo(200);
                // 100,000 customers at 1,000 readings/s: these ten may not have read yet.
                assertThat(new ObjectMapper().readTree(customers.body()).path("instances"))
                    .as(customers.body())
                    .hasSize(2);
              });
      demo.get(120, TimeUnit.SECONDS);
    }

    String output = printed.toString(UTF_8);
    assertThat(output)
        .contains("Started an embedded Kafka at localhost:")
        .contains(
            "Started the Kappa service as two instances in this JVM: "
                + a
                + " and "
                + b
                + " (admin token 'demo-admin-token', peer token 'demo-peer-token')")
        .contains("Running job 'network-usage' v1 (application id 'network-usage-v1')")
        .contains("Ask the service while the demo runs; either instance answers every key:")
        .contains(" " + a + "/jobs" + System.lineSeparator())
        .contains(" " + a + tables + "usage-by-node/keys/n-0001/windows" + System.lineSeparator())
        .containsPattern(
            " "
                + Pattern.quote(b + tables + "usage-by-agent/keys/a-00/windows?from=")
                + "\\d{4}-\\d\\d-\\d\\dT\\d\\d:00:00Z&to=\\d{4}-\\d\\d-\\d\\dT\\d\\d:00:00Z"
                + System.lineSeparator())
        .contains(" " + b + tables + "usage-network/keys/network/windows" + System.lineSeparator())
        .contains(" " + a + tables + "usage-by-agent/windows?limit=20" + System.lineSeparator())
        .contains(" " + a + "/health/readiness" + System.lineSeparator())
        .contains(" " + a + "/prometheus" + System.lineSeparator())
        .contains(" " + a + "/openapi/kappa-0.1.yml" + System.lineSeparator())
        .contains(
            " curl -H 'Authorization: Bearer demo-admin-token' "
                + a
                + "/admin/jobs/network-usage/versions/2/progress"
                + System.lineSeparator())
        .contains(
            " curl -H 'Authorization: Bearer demo-admin-token' -H 'Content-Type: application/json'"
                + " -d '{\"to\":2}' "
                + a
                + "/admin/jobs/network-usage/swap"
                + System.lineSeparator())
        .containsPattern(
            "network-usage at "
                + TIME
                + " UTC: generated \\d+/s; v1 processed \\d+/s, \\d+ dead letters, 0 late")
        .contains("answers from 'network-usage' v1")
        .containsPattern("a-00 +" + TIME + "-" + TIME + " +[\\d.]+ MB +[1-9]\\d*")
        .containsPattern("a-03 +" + TIME + "-")
        .containsPattern("network +" + TIME + "-")
        .containsPattern(
            "Started 'network-usage' v2 \\(application id 'network-usage-v2'\\): it replays"
                + " [1-9][\\d,]* records")
        .containsPattern(
            // A progress line while v2 replays, or once it has replayed its target (a fast
            // machine may replay it all before the first line).
            "'network-usage' v2: ([\\d,]+ of [1-9][\\d,]* records \\([\\d.]+%\\), [\\d,]+/s, .*,"
                + " lag [\\d,]+|replayed all [1-9][\\d,]* records; catching up with what arrived"
                + " since: lag [\\d,]+), 0 dropped as late")
        .contains(
            "'network-usage' v2 has caught up. Swapped job 'network-usage' to v2: the same"
                + " queries now answer from v2's tables.")
        .contains("answers from 'network-usage' v2, with v1 beside it until it is retired")
        .contains(
            "Retired 'network-usage' v1: stopped it, deleted its local state, its consumer group"
                + " 'network-usage-v1' and ")
        .contains("  network-usage-v1-alarms-with-usage")
        .contains("  network-usage-v1-dead-letters")
        .doesNotContain("Cannot ")
        .endsWith("Stopped." + System.lineSeparator());
    assertThat(output.indexOf("Swapped job"))
        .isGreaterThan(output.indexOf("Started 'network-usage' v2"));
    assertThat(output.indexOf("Retired 'network-usage' v1"))
        .isGreaterThan(output.indexOf("Swapped job"));
    assertV2CountsFewerReadingsThanV1InTheSameWindow(output);
  }

  @Test
  void shouldSayWhichPortIsTakenAndWhichOptionSetsIt() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      DemoOptions options =
          DemoOptions.parse(
              new String[] {
                "--seconds",
                "5",
                "--port",
                String.valueOf(freePort()),
                "--port2",
                String.valueOf(taken.getLocalPort())
              });

      assertThatThrownBy(() -> KappaDemo.run(options, System.out))
          .isInstanceOf(DemoServices.PortTakenException.class)
          .hasMessageStartingWith(
              "Cannot start the service on port " + taken.getLocalPort() + ": it is taken (")
          .hasMessageEndingWith("Stop what listens there, or pass --port2 with a free port.");
    }
  }

  /** v2 leaves out keep-alives: about half of the readings, never none of them. */
  private static void assertV2CountsFewerReadingsThanV1InTheSameWindow(String output) {
    Matcher network =
        Pattern.compile(
                "network +"
                    + TIME
                    + "-"
                    + TIME
                    + " +[\\d.]+ MB +(\\d+) +[\\d.]+ MB +(\\d+)"
                    + System.lineSeparator())
            .matcher(output);
    assertThat(network.find()).as("a network row with v2 and v1 side by side").isTrue();
    long v2 = Long.parseLong(network.group(1));
    long v1 = Long.parseLong(network.group(2));
    assertThat(v2).isPositive().isLessThan(v1);
  }
}
