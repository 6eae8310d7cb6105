package dev.kappa.examples.demo;

import static dev.kappa.examples.demo.DemoHttp.freePort;
import static dev.kappa.examples.demo.DemoHttp.get;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The demo of a second job, {@code ./demo --job page-hits}: the same loop as for network-usage (its
 * own broker, two instances hosting only page-hits, v1, the report, the URLs, v2's replay, the
 * swap, v1 retired), with the page-hits workload's top pages in the report.
 */
class PageHitsDemoIT {

  private static final String TIME = "\\d\\d:\\d\\d:\\d\\d";
  private static final String NL = System.lineSeparator();

  @Test
  void shouldRunTheReprocessingLoopOfPageHitsAndPrintItsTopPages() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int port = freePort();
    int port2 = freePort();
    DemoOptions options =
        DemoOptions.parse(
            new String[] {
              "--job", "page-hits",
              "--seconds", "35",
              "--reprocess-after", "8",
              "--rate", "1000",
              "--port", String.valueOf(port),
              "--port2", String.valueOf(port2)
            });
    String a = "http://localhost:" + port;

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
      Pattern topUrl =
          Pattern.compile(
              " (" + Pattern.quote(a) + "/jobs/page-hits/tables/top-pages/keys/\\S+Z)" + NL);
      await("the demo to print the top pages' URL")
          .atMost(Duration.ofSeconds(60))
          .until(() -> demo.isDone() || topUrl.matcher(printed.toString(UTF_8)).find());
      Matcher url = topUrl.matcher(printed.toString(UTF_8));
      assertThat(url.find()).as(printed.toString(UTF_8)).isTrue();
      await("an answer from " + url.group(1))
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptionsInstanceOf(IOException.class)
          .untilAsserted(
              () -> {
                HttpResponse<String> response = get(url.group(1));
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                JsonNode answer = new ObjectMapper().readTree(response.body());
                assertThat(answer.path("version").asInt()).as(response.body()).isEqualTo(1);
                assertThat(answer.path("value").path("pages")).as(response.body()).hasSize(3);
              });
      demo.get(120, TimeUnit.SECONDS);
    }

    String output = printed.toString(UTF_8);
    List<String> steps =
        List.of(
            "Started an embedded Kafka at localhost:",
            "Running job 'page-hits' v1 (application id 'page-hits-v1'); producing 1000 page hits/s"
                + " of 5000 users, 15 % from known bots; v2 replays the log after 8 s.",
            "Ask the service while the demo runs; either instance answers every key:",
            " " + a + "/console" + NL,
            " " + a + "/jobs/page-hits/compare?versions=1,2&limit=5" + NL,
            "top pages of ",
            "from 'page-hits' v1",
            "Started 'page-hits' v2 (application id 'page-hits-v2'): it replays",
            "'page-hits' v2 has caught up. Swapped job 'page-hits' to v2",
            "from 'page-hits' v2, beside v1's until it is retired",
            "Retired 'page-hits' v1: stopped it, deleted its local state, its consumer group"
                + " 'page-hits-v1' and 7 topics:",
            "'page-hits' v2 serves on.",
            "Stopped.");
    int at = -1;
    for (String step : steps) {
      int next = output.indexOf(step, at + 1);
      assertThat(next).as("'%s' after position %d in:%n%s", step, at, output).isGreaterThan(at);
      at = next;
    }
    assertThat(output)
        .containsPattern(
            "page-hits at "
                + TIME
                + " UTC: generated \\d+/s; v1 processed \\d+/s, [1-9]\\d* dead"
                + " letters, 0 late")
        .contains("top pages of ")
        .doesNotContain("Cannot ")
        .doesNotContain("no answers yet")
        .endsWith("Stopped." + NL);
    assertV2CountsFewerViewsOfTheHomePageThanV1(output);
  }

  /** v2 leaves out bots, among them the uptime robot that only asks for the home page. */
  private static void assertV2CountsFewerViewsOfTheHomePageThanV1(String output) {
    Matcher home =
        Pattern.compile(" 1\\. / +([\\d,]+) views +v1: / +([\\d,]+) views" + NL).matcher(output);
    assertThat(home.find()).as("the home page in v2 and v1 side by side:%n%s", output).isTrue();
    long v2 = Long.parseLong(home.group(1).replace(",", ""));
    long v1 = Long.parseLong(home.group(2).replace(",", ""));
    assertThat(v2).isPositive().isLessThan(v1);
  }
}
