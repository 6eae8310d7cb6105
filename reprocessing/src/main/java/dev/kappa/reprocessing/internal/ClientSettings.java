package dev.kappa.reprocessing.internal;

import dev.kappa.topology.runtime.JobConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** What every Kafka client of a host needs to reach the cluster of a {@link JobConfig}. */
public final class ClientSettings {

  private ClientSettings() {}

  /**
   * The bootstrap servers and the security settings of {@code config}; the rest of its settings are
   * for Kafka Streams.
   */
  public static Map<String, Object> of(JobConfig config) {
    Map<String, Object> settings = new HashMap<>();
    config
        .overrides()
        .forEach(
            (key, value) -> {
              if (key.startsWith("security.")
                  || key.startsWith("sasl.")
                  || key.startsWith("ssl.")) {
                settings.put(key, value);
              }
            });
    settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    return settings;
  }
}
