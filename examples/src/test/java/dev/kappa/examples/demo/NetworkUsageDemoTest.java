package dev.kappa.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kappa.examples.networkusage.UsageGenerator.Shape;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NetworkUsageDemoTest {

  @Test
  void shouldReadEveryOption() {
    DemoOptions options =
        DemoOptions.parse(
            new String[] {
              "--bootstrap-servers",
              "broker:9092",
              "--rate",
              "500",
              "--seconds",
              "30",
              "--reprocess-after",
              "45",
              "--customers",
              "1000",
              "--nodes",
              "50",
              "--agents",
              "5",
              "--partitions",
              "6",
              "--seed",
              "7",
              "--port",
              "9080",
              "--port2",
              "9081"
            });

    assertThat(options.bootstrapServers).isEqualTo("broker:9092");
    assertThat(options.rate).isEqualTo(500);
    assertThat(options.seconds).isEqualTo(30L);
    assertThat(options.reprocessAfter).isEqualTo(Duration.ofSeconds(45));
    assertThat(options.shape).isEqualTo(Shape.of(1_000, 50, 5));
    assertThat(options.partitions).isEqualTo(6);
    assertThat(options.seed).isEqualTo(7);
    assertThat(options.port).isEqualTo(9080);
    assertThat(options.port2).isEqualTo(9081);
  }

  @Test
  void shouldDefaultToAnEmbeddedBrokerThatRunsUntilStopped() {
    DemoOptions options = DemoOptions.parse(new String[0]);

    assertThat(options.bootstrapServers).isNull();
    assertThat(options.seconds).isNull();
    assertThat(options.rate).isEqualTo(2_000);
    assertThat(options.reprocessAfter).isEqualTo(Duration.ofSeconds(20));
    assertThat(options.port).isEqualTo(8080);
    assertThat(options.port2).isEqualTo(8081);
  }

  @Test
  void shouldSayWhatIsWrongWithAnOption() {
    assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--rate", "fast"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Option --rate needs a positive whole number, got 'fast'");
    assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--seed", "x"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Option --seed needs a whole number, got 'x'");
    assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--port2", "8080"}))
        .hasMessage(
            "Options --port and --port2 must differ: each instance needs its own port, got 8080"
                + " for both");
    assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--speed", "1"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unknown option --speed");
    assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--seconds"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Option --seconds needs a value");
    assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--reprocess-after", "0"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Option --reprocess-after needs a positive whole number, got '0'");
  }
}
