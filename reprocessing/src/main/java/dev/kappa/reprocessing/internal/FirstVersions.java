package dev.kappa.reprocessing.internal;

import dev.kappa.reprocessing.registry.CommandRefusedException;
import dev.kappa.reprocessing.registry.JobHistory;
import dev.kappa.reprocessing.replay.MissingSourcesException;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the first version of each new job of a host: a job the registry lists no version of. A job
 * whose source topics do not exist waits for them while the other jobs run: {@link #waiting()}
 * names it with the missing topics, and it is tried again every {@link #RETRY}, on a daemon thread,
 * until the topics exist or the host closes. Thread-safe.
 */
public final class FirstVersions implements AutoCloseable {

  /** How often a job that waits for its source topics is tried again. */
  public static final Duration RETRY = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(FirstVersions.class);

  /** Starts version {@code number} of {@code job}, as {@code JobHost#startVersion} does. */
  @FunctionalInterface
  public interface Starter {
    /**
     * Starts it.
     *
     * @throws MissingSourcesException if a source topic of the version does not exist
     * @throws CommandRefusedException if the registry lists the version already
     */
    void start(String job, int number);
  }

  private final String instance;
  private final Map<String, Integer> firsts;
  private final Function<String, JobHistory> histories;
  private final Starter starter;
  private final Map<String, String> waiting = new ConcurrentHashMap<>();
  private @Nullable ScheduledExecutorService retries;
  private boolean closed;

  /**
   * The first versions of the host {@code instance}: {@code firsts} by job, started with {@code
   * starter} when {@code histories} lists no version of their job.
   */
  public FirstVersions(
      String instance,
      Map<String, Integer> firsts,
      Function<String, JobHistory> histories,
      Starter starter) {
    this.instance = instance;
    this.firsts = Map.copyOf(firsts);
    this.histories = histories;
    this.starter = starter;
  }

  /** Starts the first version of every job that has none; those that wait are tried again. */
  public void startAll() {
    firsts.keySet().forEach(this::start);
    if (!waiting.isEmpty()) {
      retryLater();
    }
  }

  /** The jobs that wait for their source topics, each with what it waits for, by job. */
  public SortedMap<String, String> waiting() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(waiting));
  }

  /** Starts the first version of {@code job} unless the registry lists a version of it. */
  private void start(String job) {
    int first = firsts.get(job);
    if (!histories.apply(job).versions().isEmpty()) {
      waiting.remove(job);
      return;
    }
    try {
      starter.start(job, first);
    } catch (CommandRefusedException e) {
      // Another instance started a version of the job first; the registry brings it here.
      log.info("Host {} does not start v{} of job '{}': {}", instance, first, job, e.getMessage());
    } catch (MissingSourcesException e) {
      if (waiting.put(job, e.getMessage()) == null) {
        log.warn(
            "{}. Job '{}' waits for them, asking every {} s; the other jobs run meanwhile",
            e.getMessage(),
            job,
            RETRY.toSeconds());
      }
      return;
    }
    if (waiting.remove(job) != null) {
      log.info("The source topics of job '{}' exist now: it started", job);
    }
  }

  /** Tries the waiting jobs again every {@link #RETRY}, until none waits. */
  private synchronized void retryLater() {
    if (retries != null || closed) {
      return;
    }
    ScheduledExecutorService scheduler =
        retries =
            Executors.newSingleThreadScheduledExecutor(
                DaemonThreads.named("kappa-first-versions-" + instance));
    scheduler.scheduleWithFixedDelay(
        () -> {
          for (String job : Set.copyOf(waiting.keySet())) {
            try {
              start(job);
            } catch (RuntimeException e) {
              // Kafka unreachable, or closing: the next round asks again.
              log.warn("Job '{}' still waits to start: {}", job, e.toString());
            }
          }
          if (waiting.isEmpty()) {
            scheduler.shutdown();
          }
        },
        RETRY.toSeconds(),
        RETRY.toSeconds(),
        TimeUnit.SECONDS);
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (retries != null) {
      retries.shutdownNow();
    }
  }
}
