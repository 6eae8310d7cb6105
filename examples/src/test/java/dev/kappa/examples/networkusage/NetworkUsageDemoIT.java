package dev.kappa.examples.networkusage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The demo as the README runs it: its own embedded broker, the generator, v1 of the job and its
 * report, then the reprocessing loop (v2 replays, the swap, v1 retired), in under a minute.
 */
class NetworkUsageDemoIT {

  private static final String TIME = "\\d\\d:\\d\\d:\\d\\d";

  @Test
  void shouldRunTheReprocessingLoopOnAnEmbeddedBrokerAndReportEachStep() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    NetworkUsageDemo.Options options =
        NetworkUsageDemo.Options.parse(
            new String[] {
              "--seconds", "45", "--reprocess-after", "8", "--rate", "1000", "--agents", "4"
            });

    try (PrintStream out = new PrintStream(printed, true, UTF_8)) {
      NetworkUsageDemo.run(options, out);
    }

    String output = printed.toString(UTF_8);
    assertThat(output)
        .contains("Started an embedded Kafka at localhost:")
        .contains("Running job 'network-usage' v1 (application id 'network-usage-v1')")
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
            "'network-usage' v2: [\\d,]+ of [1-9][\\d,]* records \\([\\d.]+%\\), [\\d,]+/s, .*,"
                + " lag [\\d,]+, 0 dropped as late")
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
