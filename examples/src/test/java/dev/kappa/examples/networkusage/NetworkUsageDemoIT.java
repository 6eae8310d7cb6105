package dev.kappa.examples.networkusage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** The demo as the README runs it: its own embedded broker, the generator, the job, the report. */
class NetworkUsageDemoIT {

  @Test
  void shouldRunOnAnEmbeddedBrokerAndReportTheLatestWindowOfEveryAgent() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    NetworkUsageDemo.Options options =
        NetworkUsageDemo.Options.parse(
            new String[] {"--seconds", "12", "--rate", "1000", "--agents", "4"});

    try (PrintStream out = new PrintStream(printed, true, UTF_8)) {
      NetworkUsageDemo.run(options, out);
    }

    String output = printed.toString(UTF_8);
    assertThat(output)
        .contains("Started an embedded Kafka at localhost:")
        .contains("Running job 'network-usage' (application id 'network-usage')")
        .containsPattern(
            "network-usage at \\d\\d:\\d\\d:\\d\\d UTC: generated \\d+/s, processed \\d+/s")
        .containsPattern("a-00 +\\d\\d:\\d\\d:00-\\d\\d:\\d\\d:00 +[\\d.]+ MB +[1-9]\\d*")
        .containsPattern("a-03 +\\d\\d:\\d\\d:00-")
        .containsPattern("network +\\d\\d:\\d\\d:00-")
        .endsWith("Stopped." + System.lineSeparator());
  }
}
