package dev.kappa.api.host;

import dev.kappa.api.KappaProperties;
import dev.kappa.api.VersionedJob;
import dev.kappa.reprocessing.JobHost;
import dev.kappa.reprocessing.ReplaySettings;
import dev.kappa.reprocessing.query.StoreNotReadyException;
import dev.kappa.reprocessing.query.UnknownJobException;
import dev.kappa.reprocessing.query.UnknownVersionException;
import dev.kappa.reprocessing.registry.VersionState;
import dev.kappa.topology.JobDefinitionException;
import dev.kappa.topology.KappaException;
import dev.kappa.topology.runtime.JobConfig;
import io.micronaut.context.BeanContext;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.apache.kafka.streams.StreamsConfig;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link JobHost} of this service instance. It starts when the HTTP server has its port, since
 * that port is part of the {@code application.server} every version advertises, and it closes with
 * the application context.
 */
@Singleton
public final class ServingHost implements ApplicationEventListener<ServerStartupEvent> {

  private static final Logger log = LoggerFactory.getLogger(ServingHost.class);
  private static final Duration RETRY_AFTER = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final KappaProperties properties;
  private final BeanContext beans;
  private volatile @Nullable JobHost host;
  private volatile @Nullable String waiting;
  private @Nullable Thread retrying;
  private volatile @Nullable KafkaWatch kafka;
  private boolean closed;

  ServingHost(KappaProperties properties, BeanContext beans) {
    this.properties = properties;
    this.beans = beans;
  }

  @Override
  public void onApplicationEvent(ServerStartupEvent event) {
    start(event.getSource().getPort());
  }

  /** The running host. */
  public Optional<JobHost> current() {
    return Optional.ofNullable(host);
  }

  /**
   * The running host.
   *
   * @throws StoreNotReadyException while the service starts
   */
  public JobHost require() {
    JobHost running = host;
    if (running == null) {
      throw new StoreNotReadyException(
          "The service is starting: its jobs are not up"
              + waitingFor().map(why -> " (" + why + ")").orElse(""),
          RETRY_AFTER);
    }
    return running;
  }

  /**
   * The running host, which must host {@code job}.
   *
   * @throws UnknownJobException if it does not
   * @throws StoreNotReadyException while the service starts
   */
  public JobHost requireJob(String job) {
    JobHost running = require();
    if (!running.jobs().contains(job)) {
      throw UnknownJobException.of(job, running.jobs());
    }
    return running;
  }

  /**
   * The running host, which must host {@code job}, for an operation that needs the Kafka cluster.
   *
   * @throws UnknownJobException if it does not host the job
   * @throws StoreNotReadyException while the service starts
   * @throws KafkaUnavailableException while Kafka does not answer
   */
  public JobHost requireJobAndKafka(String job) {
    JobHost running = requireJob(job);
    Optional<KafkaUnavailableException> unavailable = kafkaUnavailable();
    if (unavailable.isPresent()) {
      throw unavailable.get();
    }
    return running;
  }

  /** While Kafka does not answer, an error that says so, with when it is asked again. */
  public Optional<KafkaUnavailableException> kafkaUnavailable() {
    KafkaWatch watch = kafka;
    return kafkaLost()
        .map(
            lost ->
                new KafkaUnavailableException(
                    lost + "; try again when it answers",
                    Objects.requireNonNull(watch).untilNextProbe()));
  }

  /**
   * Version {@code number} of {@code job} as the registry lists it.
   *
   * @throws UnknownVersionException if the registry does not list it
   */
  public static VersionState requireVersion(JobHost host, String job, int number) {
    return host.history(job)
        .version(number)
        .orElseThrow(
            () -> UnknownVersionException.notListed(job, number, host.listedVersions(job)));
  }

  /**
   * Starts the host now if Kafka answers; else says why in the log and in {@link #waitingFor()},
   * and tries again on a thread of its own, after 1 s, then twice as long each time up to {@link
   * #MAX_BACKOFF}, until Kafka answers or the service closes. A configuration error fails at once.
   */
  private synchronized void start(int port) {
    if (host != null || retrying != null) {
      return;
    }
    String bootstrap = properties.getBootstrapServers();
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new ConfigurationException(
          "Set kappa.bootstrap-servers (or KAPPA_BOOTSTRAP_SERVERS) to the Kafka cluster");
    }
    kafka = new KafkaWatch(bootstrap, properties.getKafka());
    String server = properties.getAdvertisedHost() + ":" + port;
    JobConfig.Builder config =
        JobConfig.builder(bootstrap)
            .stateDirectory(stateDirectory())
            .set(StreamsConfig.APPLICATION_SERVER_CONFIG, server);
    properties.getKafka().forEach(config::set);
    JobHost.Builder builder =
        JobHost.builder(config.build())
            .settings(replaySettings())
            .registryTopic(properties.getRegistryTopic())
            .instance(server);
    if (properties.isStartFirstVersions()) {
      builder.startingFirstVersions();
    }
    Map<String, VersionedJob> jobs = jobs();
    jobs.values()
        .forEach(job -> job.versions().forEach((number, code) -> builder.version(number, code)));
    if (tryStart(builder, jobs, server)) {
      return;
    }
    Thread thread = new Thread(() -> retry(builder, jobs, server), "kappa-host-start-" + port);
    thread.setDaemon(true);
    retrying = thread;
    thread.start();
  }

  private void retry(JobHost.Builder builder, Map<String, VersionedJob> jobs, String server) {
    Duration backoff = Duration.ofSeconds(1);
    try {
      while (true) {
        Thread.sleep(backoff.toMillis()); // the backoff between attempts to reach Kafka
        synchronized (this) {
          if (closed || tryStart(builder, jobs, server)) {
            retrying = null;
            return;
          }
        }
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // A definition or configuration error, found once Kafka answered: waiting does not fix it.
      synchronized (this) {
        waiting = "Cannot start the jobs: " + e.getMessage();
        retrying = null;
      }
      log.error("Cannot start the jobs; not trying again", e);
    }
  }

  /** Starts the host if Kafka answers; else notes and logs why not. Holds the lock. */
  private boolean tryStart(JobHost.Builder builder, Map<String, VersionedJob> jobs, String server) {
    KafkaWatch watch = Objects.requireNonNull(kafka);
    Optional<String> unreachable = watch.probe();
    JobHost started = null;
    if (unreachable.isEmpty()) {
      try {
        started = builder.start();
      } catch (JobDefinitionException e) {
        // Wrong code does not get right by waiting.
        throw e;
      } catch (KappaException e) {
        unreachable = Optional.of(e.getMessage());
      }
    }
    if (started == null) {
      waiting = unreachable.orElseThrow();
      log.warn("{}; trying again", waiting);
      return false;
    }
    host = started;
    waiting = null;
    watch.watch();
    log.info("Serving jobs {} at {}", jobs.keySet(), server);
    return true;
  }

  /** Why the host has not started yet (Kafka does not answer), while it has not. */
  public Optional<String> waitingFor() {
    return host == null ? Optional.ofNullable(waiting) : Optional.empty();
  }

  /**
   * Why Kafka does not answer, while the host runs and Kafka has stopped answering: {@code Cannot
   * reach Kafka at <bootstrap>: <reason>}. The jobs' clients reconnect by themselves when it
   * answers again; queries are answered from local state meanwhile.
   */
  public Optional<String> kafkaLost() {
    KafkaWatch watch = kafka;
    return host == null || watch == null ? Optional.empty() : watch.lost();
  }

  /**
   * The jobs found as beans and through the service loader, by name; those of {@code kappa.jobs}.
   */
  private Map<String, VersionedJob> jobs() {
    List<VersionedJob> found = new ArrayList<>(beans.getBeansOfType(VersionedJob.class));
    ServiceLoader.load(VersionedJob.class).forEach(found::add);
    Map<String, VersionedJob> jobs = new TreeMap<>();
    for (VersionedJob job : found) {
      VersionedJob other = jobs.putIfAbsent(job.name(), job);
      if (other != null && other.getClass() != job.getClass()) {
        throw new ConfigurationException(
            "Job '"
                + job.name()
                + "' is defined twice, by "
                + other.getClass().getName()
                + " and "
                + job.getClass().getName());
      }
    }
    if (jobs.isEmpty()) {
      throw new ConfigurationException(
          "No jobs found: put a jar with a dev.kappa.api.VersionedJob (a bean or a"
              + " META-INF/services entry) on the class path");
    }
    List<String> chosen = properties.getJobs();
    if (chosen.isEmpty()) {
      return jobs;
    }
    Map<String, VersionedJob> hosted = new TreeMap<>();
    for (String name : chosen) {
      VersionedJob job = jobs.get(name);
      if (job == null) {
        throw new ConfigurationException(
            "kappa.jobs names job '"
                + name
                + "', which is not on the class path; the jobs found are "
                + jobs.keySet());
      }
      hosted.put(name, job);
    }
    return hosted;
  }

  /**
   * The state directory set, or a new one of this instance: not the process's default of {@link
   * JobConfig}, since one process may run several instances of the service (the demo does), and
   * instances of a version must not share one.
   */
  private Path stateDirectory() {
    Path configured = properties.getStateDirectory();
    if (configured != null) {
      return configured;
    }
    try {
      Path created = Files.createTempDirectory("kappa-state-");
      log.info(
          "Keeping the jobs' state under {}, a new directory: versions restore their stores from"
              + " their changelogs after a restart. Set kappa.state-directory for state that"
              + " survives restarts.",
          created);
      return created;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot create a state directory; set kappa.state-directory", e);
    }
  }

  private ReplaySettings replaySettings() {
    KappaProperties.Replay replay = properties.getReplay();
    ReplaySettings settings = ReplaySettings.defaults();
    if (replay.getCatchUpLag() != null) {
      settings = settings.withCatchUpLag(replay.getCatchUpLag());
    }
    if (replay.getSettlingPeriod() != null) {
      settings = settings.withSettlingPeriod(replay.getSettlingPeriod());
    }
    if (replay.getMaxEventTimeSkew() != null) {
      settings = settings.withMaxEventTimeSkew(replay.getMaxEventTimeSkew());
    }
    return settings;
  }

  /** Stops every version on this instance; the registry and the other instances are untouched. */
  @PreDestroy
  synchronized void close() {
    closed = true;
    if (retrying != null) {
      retrying.interrupt();
    }
    if (kafka != null) {
      kafka.close();
    }
    JobHost running = host;
    host = null;
    if (running != null) {
      running.close();
    }
  }
}
