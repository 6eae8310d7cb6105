package dev.kappa.examples.demo;

import dev.kappa.examples.networkusage.UsageGenerator.Shape;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The demo's command-line options, with their defaults; {@link #parse} says what is wrong. */
final class DemoOptions {
  static final String USAGE =
      "Usage: demo [--job name] [--bootstrap-servers host:port] [--rate records-per-second]\n"
          + "            [--seconds run-time] [--reprocess-after seconds] [--partitions n] [--seed n]\n"
          + "            [--port http-port] [--port2 http-port]\n"
          + "            network-usage only: [--customers n] [--nodes n] [--agents n]\n"
          + "Jobs: "
          + DemoJob.names()
          + " (default network-usage)";

  DemoJob job = DemoJob.NETWORK_USAGE;

  @Nullable String bootstrapServers;
  int rate = 2_000;
  @Nullable Long seconds;
  Duration reprocessAfter = Duration.ofSeconds(20);
  Shape shape = Shape.of(100_000, 500, 10);
  int partitions = 3;
  long seed = 42;
  int port = 8080;
  int port2 = 8081;

  static DemoOptions parse(String[] args) {
    DemoOptions options = new DemoOptions();
    int customers = options.shape.customers();
    int nodes = options.shape.nodes();
    int agents = options.shape.agents();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Option " + name + " needs a value");
      }
      String value = args[++i];
      switch (name) {
        case "--job" -> options.job = DemoJob.named(value);
        case "--bootstrap-servers" -> options.bootstrapServers = value;
        case "--rate" -> options.rate = positive(name, value);
        case "--seconds" -> options.seconds = (long) positive(name, value);
        case "--reprocess-after" ->
            options.reprocessAfter = Duration.ofSeconds(positive(name, value));
        case "--customers" -> customers = positive(name, value);
        case "--nodes" -> nodes = positive(name, value);
        case "--agents" -> agents = positive(name, value);
        case "--partitions" -> options.partitions = positive(name, value);
        case "--seed" -> options.seed = seed(value);
        case "--port" -> options.port = positive(name, value);
        case "--port2" -> options.port2 = positive(name, value);
        default -> throw new IllegalArgumentException("Unknown option " + name);
      }
    }
    options.shape = Shape.of(customers, nodes, agents);
    if (options.port == options.port2) {
      throw new IllegalArgumentException(
          "Options --port and --port2 must differ: each instance needs its own port, got "
              + options.port
              + " for both");
    }
    return options;
  }

  private static long seed(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Option --seed needs a whole number, got '" + value + "'", e);
    }
  }

  private static int positive(String name, String value) {
    try {
      int number = Integer.parseInt(value);
      if (number > 0) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "Option " + name + " needs a positive whole number, got '" + value + "'");
  }
}
