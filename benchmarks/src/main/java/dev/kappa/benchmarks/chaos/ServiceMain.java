package dev.kappa.benchmarks.chaos;

import dev.kappa.benchmarks.internal.InProcessService;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * One instance of the service in a process of its own, hosting {@link ChaosJob}: {@code <bootstrap
 * servers> <port> <state directory> <registry topic>}. It runs until its standard input closes, or
 * until it is killed.
 */
public final class ServiceMain {

  static final String ADMIN_TOKEN = "chaos-admin";
  static final String PEER_TOKEN = "chaos-peer";

  private ServiceMain() {}

  public static void main(String[] args) throws IOException {
    Map<String, Object> properties = new HashMap<>();
    properties.put("kappa.bootstrap-servers", args[0]);
    properties.put("micronaut.server.port", Integer.parseInt(args[1]));
    properties.put("kappa.state-directory", args[2]);
    properties.put("kappa.registry-topic", args[3]);
    properties.put("kappa.security.admin-tokens", ADMIN_TOKEN);
    properties.put("kappa.security.peer-token", PEER_TOKEN);
    // A partition receives about 100 readings per second here: alignment must turn on again
    // before one lags by more than the 5 s that grace - skew - disorder leave (README, guarantee
    // 6).
    properties.put("kappa.replay.catch-up-lag", "100");
    // A killed instance's tasks move once the group misses its heartbeats for this long; Kafka's
    // default, 45 s, would make most of every kill's recovery time.
    properties.put("kappa.kafka.session.timeout.ms", "10000");
    try (InProcessService service = InProcessService.start(properties, ChaosJob.versions())) {
      System.out.println("SERVING " + service.url());
      while (System.in.read() != -1) {
        // the harness holds standard input open as long as it needs the instance
      }
    }
    System.exit(0);
  }
}
