package dev.kappa.reprocessing;

import dev.kappa.reprocessing.internal.ProgressMeter;
import dev.kappa.reprocessing.internal.VersionRuntime;
import dev.kappa.reprocessing.query.ServingVersions;
import dev.kappa.reprocessing.query.TableQueries;
import dev.kappa.reprocessing.registry.CommandRefusedException;
import dev.kappa.reprocessing.registry.JobHistory;
import dev.kappa.reprocessing.registry.Registry;
import dev.kappa.reprocessing.registry.RegistryCommand;
import dev.kappa.reprocessing.registry.VersionState;
import dev.kappa.reprocessing.registry.VersionStatus;
import dev.kappa.reprocessing.replay.ReplayPlan;
import dev.kappa.reprocessing.replay.ReplayProgress;
import dev.kappa.topology.JobTopology;
import dev.kappa.topology.KappaException;
import dev.kappa.topology.KappaJob;
import dev.kappa.topology.runtime.JobConfig;
import dev.kappa.topology.runtime.RunningJob;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.metrics.KafkaMetricsContext;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the versions of jobs on one instance, as the registry lists them, and carries out the
 * reprocessing loop: start a version, measure its replay, mark it caught up, swap, roll back,
 * retire. Every instance of a service runs one host with the same jobs; a command given to any of
 * them reaches all through the registry.
 *
 * <pre>{@code
 * try (JobHost host = JobHost.builder(JobConfig.builder("localhost:9092").build())
 *         .version(1, NetworkUsageJob.job())
 *         .version(2, NetworkUsageJob.v2())
 *         .start()) {
 *     host.startVersion("network-usage", 1, StartOptions.defaults());   // active at once
 *     host.startVersion("network-usage", 2, StartOptions.defaults());   // replays beside v1
 *     host.progress(JobVersion.of("network-usage", 2));                 // ... until caught up
 *     host.swap("network-usage", 2);
 *     host.retire("network-usage", 1);
 * }
 * }</pre>
 *
 * <p>Each version runs as its own Kafka Streams instance with its own application id, consumer
 * group and state directory, all under the one RocksDB memory budget of the {@link JobConfig}.
 * While a version replays, it runs only on the instance that started it, and its consumer releases
 * source records in about the order they were appended (see {@link
 * ReplaySettings#maxEventTimeSkew()}), so that it drops no record as late that live processing
 * kept; the other instances start it once it has caught up. Replay progress is published over JMX
 * as {@code kappa:type=kappa-replay-metrics,job=..,version=..,instance=..}. Thread-safe.
 */
public final class JobHost implements AutoCloseable, ServingVersions {

  private static final Logger log = LoggerFactory.getLogger(JobHost.class);
  private static final Duration RETIRE_TIMEOUT = Duration.ofSeconds(60);
  private static final long ADMIN_TIMEOUT_SECONDS = 30;

  private final JobConfig config;
  private final Map<String, SortedMap<Integer, KappaJob>> catalog;
  private final ReplaySettings settings;
  private final String registryTopic;
  private final String instance;
  private final Clock clock = Clock.systemUTC();
  private final Map<JobVersion, VersionRuntime> runtimes = new ConcurrentHashMap<>();
  private final Map<JobVersion, JobTopology> topologies = new ConcurrentHashMap<>();
  private final Set<JobVersion> missingCode = ConcurrentHashMap.newKeySet();
  private final ExecutorService lifecycle;
  private final ScheduledExecutorService checker;
  private final Metrics metrics;
  private final TableQueries queries;
  private volatile Admin admin;
  private volatile Registry registry;

  private JobHost(Builder builder) {
    this.config = builder.config;
    this.catalog = Map.copyOf(builder.catalog);
    this.settings = builder.settings;
    this.registryTopic = builder.registryTopic;
    this.instance =
        builder.instance != null
            ? builder.instance
            : localHost()
                .map(host -> host.host() + ":" + host.port())
                .orElse("kappa-" + UUID.randomUUID().toString().substring(0, 8));
    this.lifecycle = Executors.newSingleThreadExecutor(named("kappa-host-lifecycle-" + instance));
    this.checker =
        Executors.newSingleThreadScheduledExecutor(named("kappa-host-checker-" + instance));
    this.metrics =
        new Metrics(
            new MetricConfig(),
            List.of(new JmxReporter()),
            Time.SYSTEM,
            new KafkaMetricsContext("kappa"));
    this.queries = new TableQueries(this);
  }

  /**
   * Starts a host with {@code config}; add the versions of its jobs, then {@link Builder#start}.
   */
  public static Builder builder(JobConfig config) {
    return new Builder(config);
  }

  private JobHost open() {
    Map<String, Object> clients = clientSettings();
    admin = Admin.create(clients);
    try {
      registry = Registry.open(config.bootstrapServers(), clients, registryTopic, instance);
    } catch (RuntimeException e) {
      admin.close();
      throw e;
    }
    registry.addListener((before, after, command) -> reconcileLater(command.job()));
    for (String job : catalog.keySet()) {
      reconcileLater(job);
    }
    checker.scheduleWithFixedDelay(
        this::checkAll,
        settings.checkInterval().toMillis(),
        settings.checkInterval().toMillis(),
        TimeUnit.MILLISECONDS);
    log.info("Host {} started with jobs {}", instance, catalog.keySet());
    return this;
  }

  /** This host's name: its {@code application.server}, or a random name. */
  public String instance() {
    return instance;
  }

  /** The registry this host follows. */
  public Registry registry() {
    return registry;
  }

  /** The history of {@code job} in the registry. */
  public JobHistory history(String job) {
    return registry.history(job);
  }

  /** Queries over the serving tables of the active (or a chosen) version of each job. */
  public TableQueries queries() {
    return queries;
  }

  /**
   * Starts version {@code number} of {@code job} on every instance: it replays its sources from the
   * earliest offsets beside the versions that run. The first version of a job is active at once.
   *
   * @return what the version replays
   * @throws dev.kappa.reprocessing.replay.IncompleteHistoryException if a source no longer holds
   *     its first records and {@code options} does not accept partial history
   * @throws CommandRefusedException if the version number was started before
   * @throws KappaException if this host does not have the version's code
   */
  public ReplayPlan startVersion(String job, int number, StartOptions options) {
    JobVersion version = JobVersion.of(job, number);
    registry.history(job).check(started(version, options));
    JobTopology topology = topology(version).orElseThrow(() -> noCode(version, "start"));
    ReplayPlan plan = ReplayPlan.read(admin, version, topology.sourceTopics());
    if (!options.acceptPartialHistory()) {
      plan.requireCompleteHistory();
    }
    registry.submit(started(version, options));
    log.info("Started {}: it replays {} records", version, plan.records());
    return plan;
  }

  private RegistryCommand started(JobVersion version, StartOptions options) {
    return new RegistryCommand.Started(
        version.job(),
        version.number(),
        options.acceptPartialHistory(),
        options.swapWhenCaughtUp(),
        instance);
  }

  /**
   * Makes version {@code to} of {@code job} the active one, on every instance.
   *
   * @throws CommandRefusedException if it has not caught up, is retired or unknown, or is active
   */
  public JobHistory swap(String job, int to) {
    return swap(job, to, false);
  }

  /**
   * Like {@link #swap(String, int)}; with {@code force}, also to a version that has not caught up
   * (its tables then answer from part of the history).
   */
  public JobHistory swap(String job, int to, boolean force) {
    JobHistory history = registry.history(job);
    int from = history.active().orElseThrow(() -> noActive(job, "swap"));
    return registry.submit(new RegistryCommand.Swapped(job, from, to, force));
  }

  /**
   * Makes the version that the active one replaced active again, on every instance.
   *
   * @throws CommandRefusedException if there is no such version or it is retired
   */
  public JobHistory rollback(String job) {
    JobHistory history = registry.history(job);
    int from = history.active().orElseThrow(() -> noActive(job, "roll back"));
    OptionalInt previous = history.previous();
    return registry.submit(
        new RegistryCommand.RolledBack(
            job, from, previous.isPresent() ? previous.getAsInt() : from));
  }

  /**
   * Retires version {@code number} of {@code job}: stops it on every instance (each deletes its
   * local state), waits until its consumer group is empty, then deletes the group and exactly the
   * topics the version owns: its internal topics, output topics and dead-letter topic.
   *
   * @throws CommandRefusedException if it is the active version, retired or unknown
   * @throws KappaException if this host does not have its code, or its group does not empty
   */
  public Retirement retire(String job, int number) {
    JobVersion version = JobVersion.of(job, number);
    JobTopology topology = topology(version).orElseThrow(() -> noCode(version, "retire"));
    Set<String> owned = version.ownedTopics(topology);
    registry.submit(new RegistryCommand.Retired(job, number));
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
      return new Retirement(version, existing, version.consumerGroup());
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
    Instant deadline = clock.instant().plus(RETIRE_TIMEOUT);
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
                + RETIRE_TIMEOUT
                + ": an instance without the registry, or stuck? Stop it, then retire again.");
      }
      Thread.sleep(200);
    }
  }

  /** The last measured replay progress of {@code version} on this instance, if it runs here. */
  public Optional<ReplayProgress> progress(JobVersion version) {
    VersionRuntime runtime = runtimes.get(version);
    return runtime == null ? Optional.empty() : runtime.progress();
  }

  /** The Kafka Streams instance of {@code version} on this host, if it runs here. */
  public Optional<RunningJob> running(JobVersion version) {
    return Optional.ofNullable(runtimes.get(version)).map(VersionRuntime::running);
  }

  /** The versions running on this host. */
  public Set<JobVersion> runningVersions() {
    return new TreeSet<>(runtimes.keySet());
  }

  @Override
  public Set<String> jobs() {
    Set<String> jobs = new TreeSet<>(catalog.keySet());
    jobs.addAll(registry.histories().keySet());
    return jobs;
  }

  @Override
  public OptionalInt activeVersion(String job) {
    return registry.history(job).active();
  }

  @Override
  public Optional<HostInfo> localHost() {
    Object server = config.overrides().get(StreamsConfig.APPLICATION_SERVER_CONFIG);
    return server == null || server.toString().isBlank()
        ? Optional.empty()
        : Optional.of(HostInfo.buildFromEndpoint(server.toString()));
  }

  @Override
  public Optional<KafkaStreams> streams(JobVersion version) {
    return running(version).map(RunningJob::streams);
  }

  @Override
  public Optional<JobTopology> topology(JobVersion version) {
    KappaJob definition =
        catalog.getOrDefault(version.job(), new TreeMap<>()).get(version.number());
    if (definition == null) {
      return Optional.empty();
    }
    return Optional.of(topologies.computeIfAbsent(version, v -> v.topology(definition)));
  }

  private void reconcileLater(String job) {
    try {
      lifecycle.execute(() -> reconcile(job));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      log.debug("Host {} is closing; not reconciling job '{}'", instance, job);
    }
  }

  /** Starts the versions the registry lists and this host does not run; stops retired ones. */
  private void reconcile(String job) {
    JobHistory history = registry.history(job);
    for (VersionState state : history.versions().values()) {
      JobVersion version = state.version();
      VersionRuntime runtime = runtimes.get(version);
      if (state.status() == VersionStatus.RETIRED) {
        if (runtime != null) {
          stop(runtime, true);
        }
      } else if (runtime == null && (replaysHereOrCaughtUp(state) || isActive(history, version))) {
        startHere(version);
      }
    }
  }

  /**
   * A version replays on the instance that started it, alone, so that one paced consumer reads
   * every source partition: paced consumers on several instances would not bound the skew between
   * their partitions. The other instances start it once it has caught up; Kafka Streams then moves
   * tasks to them as they restore.
   */
  private boolean replaysHereOrCaughtUp(VersionState state) {
    return state.status() != VersionStatus.REPLAYING
        || state.replayer() == null
        || state.replayer().equals(instance);
  }

  /**
   * The active version serves, so it runs on every instance whatever its replay status: the first
   * version of a job (active at once), a version swapped to by force, and a version whose replaying
   * instance has gone.
   */
  private static boolean isActive(JobHistory history, JobVersion version) {
    return history.active().orElse(-1) == version.number();
  }

  private void startHere(JobVersion version) {
    Optional<JobTopology> topology = topology(version);
    if (topology.isEmpty()) {
      if (missingCode.add(version)) {
        log.warn(
            "The registry lists {}, but host {} does not have its code: it does not run here",
            version,
            instance);
      }
      return;
    }
    try {
      ReplayPlan plan = ReplayPlan.read(admin, version, topology.get().sourceTopics());
      VersionRuntime runtime =
          VersionRuntime.start(version, topology.get(), plan, config, settings.maxEventTimeSkew());
      runtimes.put(version, runtime);
      publishMetrics(runtime);
      log.info("Host {} runs {} ({} records to replay)", instance, version, plan.records());
    } catch (RuntimeException e) {
      log.error("Host {} cannot run {}", instance, version, e);
    }
  }

  private void stop(VersionRuntime runtime, boolean deleteState) {
    runtimes.remove(runtime.version());
    unpublishMetrics(runtime.version());
    runtime.stop(deleteState);
    log.info(
        "Host {} stopped {}{}",
        instance,
        runtime.version(),
        deleteState ? " and deleted its state" : "");
  }

  private void checkAll() {
    for (VersionRuntime runtime : runtimes.values()) {
      try {
        check(runtime);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        log.warn("Cannot measure the progress of {}: {}", runtime.version(), e.toString());
      }
    }
  }

  private void check(VersionRuntime runtime) throws Exception {
    JobVersion version = runtime.version();
    JobHistory history = registry.history(version.job());
    Optional<VersionState> state = history.version(version.number());
    if (state.isEmpty() || state.get().status() == VersionStatus.RETIRED) {
      return;
    }
    boolean caughtUp = state.get().status() == VersionStatus.CAUGHT_UP;
    Instant now = clock.instant();
    ProgressMeter.Measurement measurement =
        runtime.meter().measure(admin, runtime.running(), caughtUp, runtime.pacedRecords(), now);
    runtime.progress(measurement.progress());
    if (caughtUp) {
      return;
    }
    RunningJob running = runtime.running();
    boolean ready =
        measurement.progress().reachedTarget()
            && measurement.maxPartitionLag() <= settings.catchUpLag()
            && running.state() == KafkaStreams.State.RUNNING
            && running.restoringPartitions().isEmpty();
    if (!runtime.readyFor(ready, now, settings.settlingPeriod())) {
      return;
    }
    try {
      registry.submit(new RegistryCommand.CaughtUp(version.job(), version.number()));
      log.info("{} has caught up: {}", version, measurement.progress());
    } catch (CommandRefusedException e) {
      log.debug("{} was marked caught up by another instance: {}", version, e.getMessage());
      return;
    }
    JobHistory after = registry.history(version.job());
    if (state.get().swapWhenCaughtUp() && after.active().orElse(-1) != version.number()) {
      try {
        swap(version.job(), version.number());
      } catch (CommandRefusedException e) {
        log.warn("Cannot swap to {} when it caught up: {}", version, e.getMessage());
      }
    }
  }

  private void publishMetrics(VersionRuntime runtime) {
    Map<String, String> tags = tags(runtime.version());
    gauge("replayed-records", "Source records replayed", tags, runtime, p -> (double) p.replayed());
    gauge("target-records", "Source records to replay", tags, runtime, p -> (double) p.target());
    gauge("input-lag", "Records not yet committed", tags, runtime, p -> (double) p.inputLag());
    gauge("records-per-second", "Replay rate", tags, runtime, ReplayProgress::recordsPerSecond);
    gauge(
        "seconds-left",
        "Estimated time to the target",
        tags,
        runtime,
        p -> p.timeLeft().map(left -> left.toMillis() / 1000.0).orElse(0.0));
    gauge(
        "late-dropped-records-total",
        "Records dropped as late by this instance",
        tags,
        runtime,
        p -> (double) p.lateDropped());
  }

  private void gauge(
      String name,
      String description,
      Map<String, String> tags,
      VersionRuntime runtime,
      java.util.function.ToDoubleFunction<ReplayProgress> value) {
    metrics.addMetric(
        metrics.metricName(name, "kappa-replay-metrics", description, tags),
        (Gauge<Double>)
            (metricConfig, now) -> runtime.progress().map(value::applyAsDouble).orElse(0.0));
  }

  private void unpublishMetrics(JobVersion version) {
    Map<String, String> tags = tags(version);
    new HashMap<>(metrics.metrics())
        .keySet().stream()
            .filter(name -> name.group().equals("kappa-replay-metrics") && name.tags().equals(tags))
            .forEach(metrics::removeMetric);
  }

  private Map<String, String> tags(JobVersion version) {
    return Map.of(
        "job", version.job(), "version", Integer.toString(version.number()), "instance", instance);
  }

  private Map<String, Object> clientSettings() {
    Map<String, Object> settings = new HashMap<>();
    config
        .overrides()
        .forEach(
            (key, value) -> {
              // Only what every client needs to reach the cluster; the rest is for Kafka Streams.
              if (key.startsWith("security.")
                  || key.startsWith("sasl.")
                  || key.startsWith("ssl.")) {
                settings.put(key, value);
              }
            });
    settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    return settings;
  }

  private KappaException noCode(JobVersion version, String verb) {
    return new KappaException(
        "Cannot "
            + verb
            + " "
            + version
            + ": host "
            + instance
            + " does not have its code. Its versions of job '"
            + version.job()
            + "' are "
            + catalog.getOrDefault(version.job(), new TreeMap<>()).keySet()
            + "; add the version with JobHost.Builder#version.");
  }

  private static CommandRefusedException noActive(String job, String verb) {
    return new CommandRefusedException(
        "Cannot " + verb + " job '" + job + "': it has no active version. Start a version first.");
  }

  private static java.util.concurrent.ThreadFactory named(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * Stops every version on this host (they keep their state and stay registered: the other
   * instances take over their partitions) and closes the registry.
   */
  @Override
  public void close() {
    checker.shutdownNow();
    Future<?> stopped =
        lifecycle.submit(
            () -> List.copyOf(runtimes.values()).forEach(runtime -> stop(runtime, false)));
    lifecycle.shutdown();
    try {
      stopped.get(2, TimeUnit.MINUTES);
      lifecycle.awaitTermination(1, TimeUnit.MINUTES);
    } catch (ExecutionException | TimeoutException e) {
      log.warn("Host {} did not stop all versions cleanly", instance, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (registry != null) {
      registry.close();
    }
    if (admin != null) {
      admin.close();
    }
    metrics.close();
  }

  @Override
  public String toString() {
    return "JobHost[" + instance + ", " + runningVersions() + "]";
  }

  /**
   * What a retirement deleted.
   *
   * @param version the retired version
   * @param deletedTopics the topics deleted, by exact name, sorted
   * @param deletedGroup the consumer group deleted
   */
  public record Retirement(JobVersion version, Set<String> deletedTopics, String deletedGroup) {
    /** Copies the topics. */
    public Retirement {
      deletedTopics = Collections.unmodifiableSortedSet(new TreeSet<>(deletedTopics));
    }
  }

  /** Builds a {@link JobHost}. */
  public static final class Builder {
    private final JobConfig config;
    private final Map<String, SortedMap<Integer, KappaJob>> catalog = new HashMap<>();
    private ReplaySettings settings = ReplaySettings.defaults();
    private String registryTopic = Registry.DEFAULT_TOPIC;
    private @org.jspecify.annotations.Nullable String instance;

    private Builder(JobConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * The code of version {@code number} of the job {@code definition} defines. A host runs the
     * versions the registry lists that it has code for.
     */
    public Builder version(int number, KappaJob definition) {
      Objects.requireNonNull(definition, "definition");
      JobVersion version = JobVersion.of(definition.name(), number);
      KappaJob previous =
          catalog
              .computeIfAbsent(definition.name(), job -> new TreeMap<>())
              .putIfAbsent(number, definition);
      if (previous != null) {
        throw new IllegalArgumentException("The host has code for " + version + " already");
      }
      return this;
    }

    /** How versions replay and catch up; {@link ReplaySettings#defaults()} unless set. */
    public Builder settings(ReplaySettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** The registry topic; {@value Registry#DEFAULT_TOPIC} unless set. */
    public Builder registryTopic(String topic) {
      this.registryTopic = Objects.requireNonNull(topic, "topic");
      return this;
    }

    /** This host's name in logs and the registry; its {@code application.server} unless set. */
    public Builder instance(String name) {
      this.instance = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Opens the registry, starts the versions it lists that this host has code for, and starts
     * measuring their progress.
     */
    public JobHost start() {
      if (catalog.isEmpty()) {
        throw new IllegalArgumentException("A host needs the code of at least one job version");
      }
      JobHost host = new JobHost(this);
      try {
        return host.open();
      } catch (RuntimeException e) {
        host.close();
        throw e;
      }
    }
  }
}
