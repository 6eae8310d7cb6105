package dev.kappa.api.host;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the Kafka cluster of this service whether it answers: once before the jobs start, then every
 * {@link #INTERVAL} while they run. When Kafka stops answering, it says so in the log at once,
 * naming the address and the reason, and in {@link #lost()}, which readiness reports; it asks again
 * after 1 s, then twice as long each time up to {@link #MAX_BACKOFF}, and logs each failed attempt,
 * until Kafka answers again. The Kafka clients of the jobs reconnect by themselves; this only
 * watches.
 */
final class KafkaWatch implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KafkaWatch.class);

  /** How long one question may take. */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

  /** How often Kafka is asked while it answers. */
  static final Duration INTERVAL = Duration.ofSeconds(2);

  /** The longest wait between two questions while it does not. */
  static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  private final String bootstrap;
  private final Map<String, Object> settings;
  private @Nullable Admin admin;
  private @Nullable ScheduledExecutorService watching;
  private volatile @Nullable String lost;
  private @Nullable Instant lostSince;
  private Instant nextProbe = Instant.now();
  private Duration backoff = Duration.ofSeconds(1);

  /** Watches Kafka at {@code bootstrap}, with the client settings {@code kafka} (security etc.). */
  KafkaWatch(String bootstrap, Map<String, ?> kafka) {
    this.bootstrap = bootstrap;
    this.settings = new HashMap<>(kafka);
    settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    int timeoutMs = (int) PROBE_TIMEOUT.toMillis();
    settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
    settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
  }

  /**
   * Why Kafka does not answer within {@link #PROBE_TIMEOUT}, if it does not: {@code Cannot reach
   * Kafka at <bootstrap>: <reason>}.
   */
  synchronized Optional<String> probe() {
    try {
      if (admin == null) {
        admin = Admin.create(settings);
      }
      admin.describeCluster().nodes().get(PROBE_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
      return Optional.empty();
    } catch (ExecutionException e) {
      return Optional.of(unreachable(e.getCause().getMessage()));
    } catch (TimeoutException | KafkaException e) {
      return Optional.of(unreachable(e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(unreachable("interrupted"));
    }
  }

  /** Starts asking every {@link #INTERVAL}, on a thread of its own. */
  synchronized void watch() {
    if (watching != null) {
      return;
    }
    watching =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "kappa-kafka-watch");
              thread.setDaemon(true);
              return thread;
            });
    watching.schedule(this::check, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Why Kafka does not answer, while it has not answered since it stopped. */
  Optional<String> lost() {
    return Optional.ofNullable(lost);
  }

  /** How long until Kafka is asked again: at least 1 s. */
  synchronized Duration untilNextProbe() {
    Duration left = Duration.between(Instant.now(), nextProbe);
    return left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
  }

  private void check() {
    Optional<String> unreachable = probe();
    Duration next;
    synchronized (this) {
      if (unreachable.isPresent()) {
        if (lost == null) {
          lostSince = Instant.now();
          log.warn(
              "{}; serving from local state, not ready until it answers; asking again in {} s",
              unreachable.get(),
              backoff.toSeconds());
        } else {
          log.warn(
              "{} (for {} s); asking again in {} s",
              unreachable.get(),
              Duration.between(lostSince, Instant.now()).toSeconds(),
              backoff.toSeconds());
        }
        lost = unreachable.get();
        next = backoff;
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
      } else {
        if (lost != null) {
          log.info(
              "Kafka at {} answers again, after {} s",
              bootstrap,
              Duration.between(lostSince, Instant.now()).toSeconds());
        }
        lost = null;
        backoff = Duration.ofSeconds(1);
        next = INTERVAL;
      }
      nextProbe = Instant.now().plus(next);
      if (watching != null && !watching.isShutdown()) {
        watching.schedule(this::check, next.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  private String unreachable(@Nullable String why) {
    return "Cannot reach Kafka at " + bootstrap + ": " + (why == null ? "no answer" : why);
  }

  @Override
  public synchronized void close() {
    if (watching != null) {
      watching.shutdownNow();
    }
    if (admin != null) {
      admin.close(Duration.ZERO);
    }
  }
}
