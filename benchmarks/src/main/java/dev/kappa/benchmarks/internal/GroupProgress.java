package dev.kappa.benchmarks.internal;

import dev.kappa.topology.runtime.ProcessingGuarantee;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** How far a consumer group has committed through its inputs, as the throughput runs measure it. */
public final class GroupProgress {

  private GroupProgress() {}

  /**
   * The records of {@code inputs} (and of the group's repartition topics) that the commits of
   * {@code group} do not yet cover: zero when it has processed everything written so far.
   */
  public static long remaining(String bootstrapServers, String group, Set<String> inputs) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      return new CommitProgress(
              admin,
              group,
              CommitProgress.endOffsets(admin, Topics.partitions(admin, inputs)),
              ProcessingGuarantee.EXACTLY_ONCE_V2)
          .remaining();
    }
  }
}
