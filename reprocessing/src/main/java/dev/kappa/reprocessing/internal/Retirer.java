package dev.kappa.reprocessing.internal;

import dev.kappa.reprocessing.JobVersion;
import dev.kappa.topology.KappaException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what a retired version owns on the cluster, once every instance has stopped it: its
 * consumer group and exactly the topics it owns.
 */
public final class Retirer {

  private static final Logger log = LoggerFactory.getLogger(Retirer.class);
  private static final Duration EMPTY_GROUP_TIMEOUT = Duration.ofSeconds(60);
  private static final long ADMIN_TIMEOUT_SECONDS = 30;

  private final Admin admin;
  private final Clock clock = Clock.systemUTC();

  /** Deletes through {@code admin}. */
  public Retirer(Admin admin) {
    this.admin = admin;
  }

  /**
   * Waits until the group of {@code version} is empty, then deletes it and those of {@code owned}
   * that exist.
   *
   * @return the topics deleted
   * @throws KappaException if the group keeps members, or the cluster refuses or does not answer;
   *     the message names what to delete by hand
   */
  public Set<String> deleteOwned(JobVersion version, Set<String> owned) {
    try {
      awaitEmptyGroup(version);
      try {
        admin
            .deleteConsumerGroups(List.of(version.consumerGroup()))
            .all()
            .get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof GroupIdNotFoundException)) {
          throw e;
        }
      }
      Set<String> existing = new TreeSet<>(admin.listTopics().names().get());
      existing.retainAll(owned);
      admin.deleteTopics(existing).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      log.info(
          "Retired {}: deleted group '{}' and topics {}",
          version,
          version.consumerGroup(),
          existing);
      return existing;
    } catch (ExecutionException | TimeoutException e) {
      throw new KappaException(
          "Retired "
              + version
              + " in the registry, but could not delete what it owns: "
              + e
              + ". Delete its group '"
              + version.consumerGroup()
              + "' and topics "
              + owned
              + " by hand.",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KappaException("Interrupted while retiring " + version, e);
    }
  }

  private void awaitEmptyGroup(JobVersion version)
      throws ExecutionException, InterruptedException, TimeoutException {
    Instant deadline = clock.instant().plus(EMPTY_GROUP_TIMEOUT);
    while (true) {
      ConsumerGroupDescription group;
      try {
        group =
            admin
                .describeConsumerGroups(List.of(version.consumerGroup()))
                .describedGroups()
                .get(version.consumerGroup())
                .get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof GroupIdNotFoundException) {
          return;
        }
        throw e;
      }
      if (group.members().isEmpty()) {
        return;
      }
      if (clock.instant().isAfter(deadline)) {
        throw new KappaException(
            "Retired "
                + version
                + " in the registry, but its group '"
                + version.consumerGroup()
                + "' still has members "
                + group.members().stream().map(member -> member.host()).toList()
                + " after "
                + EMPTY_GROUP_TIMEOUT
                + ": an instance without the registry, or stuck? Stop it, then retire again.");
      }
      Thread.sleep(200);
    }
  }
}
