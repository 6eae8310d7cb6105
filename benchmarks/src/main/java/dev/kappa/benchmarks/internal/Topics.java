package dev.kappa.benchmarks.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates and deletes the topics of the benchmark. */
public final class Topics {

  private static final long TIMEOUT_SECONDS = 60;

  private Topics() {}

  /**
   * Creates {@code names} with {@code partitions} partitions each and {@code config}, leaving those
   * that exist as they are, and waits until the leader of every partition answers.
   */
  public static void create(
      Admin admin, Collection<String> names, int partitions, Map<String, String> config) {
    List<NewTopic> topics =
        names.stream()
            .map(
                name ->
                    new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(config))
            .toList();
    admin
        .createTopics(topics)
        .values()
        .forEach(
            (name, created) -> {
              try {
                await(created, "create topic '" + name + "'");
              } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                  throw e;
                }
              }
            });
    // The controller knows a new topic before its partitions are open on the broker: an idempotent
    // producer whose first batch is refused then can never place that batch after the next ones
    // (OutOfOrderSequence until it expires). Listing offsets needs each partition's leader ready.
    // The broker may not even serve the metadata of a topic just created: ask again until it does.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (true) {
      try {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions(admin, names).forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        await(admin.listOffsets(latest).all(), "read the end offsets of the new topics " + names);
        return;
      } catch (IllegalStateException e) {
        if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(50); // a short back-off before asking the broker again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for topics " + names, e);
      }
    }
  }

  /** Deletes every topic whose name starts with {@code prefix + "-"}; returns their names. */
  public static Set<String> deleteWithPrefix(Admin admin, String prefix) {
    Set<String> owned =
        await(admin.listTopics().names(), "list topics").stream()
            .filter(name -> name.startsWith(prefix + "-"))
            .collect(Collectors.toSet());
    if (!owned.isEmpty()) {
      await(admin.deleteTopics(owned).all(), "delete topics " + owned);
    }
    return owned;
  }

  /** Every partition of {@code topics}. */
  public static Set<TopicPartition> partitions(Admin admin, Collection<String> topics) {
    return await(admin.describeTopics(topics).allTopicNames(), "describe topics " + topics)
        .values()
        .stream()
        .flatMap(
            topic ->
                topic.partitions().stream()
                    .map(partition -> new TopicPartition(topic.name(), partition.partition())))
        .collect(Collectors.toSet());
  }

  /**
   * The value of {@code future}, or an {@link IllegalStateException} that says what could not be
   * done, with the cluster's error as its cause.
   */
  public static <T> T await(KafkaFuture<T> future, String what) {
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Cannot " + what + ": no answer within " + TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while trying to " + what, e);
    }
  }
}
