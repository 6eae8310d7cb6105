package dev.kappa.reprocessing;

import dev.kappa.reprocessing.internal.AlignmentCheck;
import dev.kappa.reprocessing.internal.CatchUpChecker;
import dev.kappa.reprocessing.internal.CatchUpWait;
import dev.kappa.reprocessing.internal.ClientSettings;
import dev.kappa.reprocessing.internal.FirstVersions;
import dev.kappa.reprocessing.internal.ReplayMetrics;
import dev.kappa.reprocessing.internal.Retirer;
import dev.kappa.reprocessing.internal.VersionLifecycle;
import dev.kappa.reprocessing.internal.VersionRuntime;
import dev.kappa.reprocessing.query.ServingVersions;
import dev.kappa.reprocessing.query.TableQueries;
import dev.kappa.reprocessing.registry.CommandRefusedException;
import dev.kappa.reprocessing.registry.JobHistory;
import dev.kappa.reprocessing.registry.Registry;
import dev.kappa.reprocessing.registry.RegistryCommand;
import dev.kappa.reprocessing.replay.ReplayPlan;
import dev.kappa.reprocessing.replay.ReplayProgress;
import dev.kappa.reprocessing.replay.internal.SharedPositions;
import dev.kappa.topology.JobTopology;
import dev.kappa.topology.KappaException;
import dev.kappa.topology.KappaJob;
import dev.kappa.topology.runtime.JobConfig;
import dev.kappa.topology.runtime.RunningJob;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.jspecify.annotations.Nullable;
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
 *         .startingFirstVersions()                                      // v1, if the registry is new
 *         .start()) {
 *     host.startVersion("network-usage", 2, StartOptions.defaults());   // replays beside v1
 *     host.awaitCaughtUp(JobVersion.of("network-usage", 2), Duration.ofMinutes(30));
 *     host.swap("network-usage", 2);
 *     host.retire("network-usage", 1);
 * }
 * }</pre>
 *
 * <p>Each version runs as its own Kafka Streams instance with its own application id, consumer
 * group and state directory, all under the one RocksDB memory budget of the {@link JobConfig}.
 * Every version that is not retired runs on every instance that has its code, so that a replay
 * spreads over all of them. While any source partition of a version lags (a replay, a first start
 * over a backlog, a restart, a failover), every instance passes its source records to Kafka Streams
 * aligned on one event-time low watermark, shared through a compacted topic beside the registry
 * ({@code <registry topic>-positions}), so that no window or join drops a valid record as late
 * however fast, on however many instances, the version processes its log (see {@link
 * ReplaySettings#maxEventTimeSkew(JobTopology)} for the condition). Replay progress, with the
 * records dropped as late by every instance, is published over JMX as {@code
 * kappa:type=kappa-replay-metrics,job=..,version=..,instance=..}. Thread-safe.
 */
public final class JobHost implements AutoCloseable, ServingVersions {

  private static final Logger log = LoggerFactory.getLogger(JobHost.class);

  private final JobConfig config;
  private final Map<String, SortedMap<Integer, KappaJob>> catalog;
  private final ReplaySettings settings;
  private final String registryTopic;
  private final String instance;
  private final boolean startFirstVersions;
  private final Map<JobVersion, JobTopology> topologies = new ConcurrentHashMap<>();
  private final Set<CatchUpWait> waits = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;
  private final ReplayMetrics metrics;
  private final TableQueries queries;
  private volatile @Nullable Admin admin;
  private volatile @Nullable Registry registry;
  private volatile @Nullable SharedPositions positions;
  private volatile @Nullable VersionLifecycle lifecycle;
  private volatile @Nullable CatchUpChecker checker;
  private volatile @Nullable FirstVersions firstVersions;

  private JobHost(Builder builder) {
    this.config = builder.config;
    this.catalog = Map.copyOf(builder.catalog);
    this.settings = builder.settings;
    this.registryTopic = builder.registryTopic;
    this.startFirstVersions = builder.startFirstVersions;
    this.instance =
        builder.instance != null
            ? builder.instance
            : localHost()
                .map(host -> host.host() + ":" + host.port())
                .orElse("kappa-" + UUID.randomUUID().toString().substring(0, 8));
    this.metrics = new ReplayMetrics(instance);
    this.queries = new TableQueries(this);
  }

  /**
   * Starts a host with {@code config}; add the versions of its jobs, then {@link Builder#start}.
   */
  public static Builder builder(JobConfig config) {
    return new Builder(config);
  }

  private JobHost open() {
    // Every version here may run here once the registry lists it: refuse settings that would make
    // a replay drop records before anything connects.
    catalog.forEach(
        (job, versions) ->
            versions.keySet().stream()
                .map(number -> JobVersion.of(job, number))
                .forEach(
                    version ->
                        AlignmentCheck.check(version, topology(version).orElseThrow(), settings)));
    Map<String, Object> clients = ClientSettings.of(config);
    Admin admin = this.admin = Admin.create(clients);
    Registry registry =
        this.registry = Registry.open(config.bootstrapServers(), clients, registryTopic, instance);
    SharedPositions positions =
        this.positions =
            SharedPositions.open(
                clients, registryTopic + "-positions", instance, settings.checkInterval());
    VersionLifecycle lifecycle =
        this.lifecycle =
            new VersionLifecycle(
                instance,
                config,
                settings,
                admin,
                positions,
                metrics,
                this::topology,
                registry::history);
    registry.addListener((before, after, command) -> lifecycle.reconcileLater(command.job()));
    for (String job : catalog.keySet()) {
      lifecycle.reconcileLater(job);
    }
    CatchUpChecker checker =
        this.checker =
            new CatchUpChecker(instance, settings, admin, registry, lifecycle, this::swap);
    checker.start();
    log.info("Host {} started with jobs {}", instance, catalog.keySet());
    if (startFirstVersions) {
      Map<String, Integer> firsts = new TreeMap<>();
      catalog.forEach((job, versions) -> firsts.put(job, versions.firstKey()));
      FirstVersions first =
          this.firstVersions =
              new FirstVersions(
                  instance,
                  firsts,
                  registry::history,
                  // The first version serves the log as it is retained: there is no older version
                  // to match.
                  (job, number) ->
                      startVersion(job, number, StartOptions.defaults().acceptingPartialHistory()));
      first.startAll();
    }
    return this;
  }

  /**
   * The jobs whose first version waits for its source topics to exist, each with the topics it
   * waits for (with {@link Builder#startingFirstVersions()}). The host asks again every 5 s and
   * starts each once they exist.
   */
  public Map<String, String> waitingForSources() {
    FirstVersions first = firstVersions;
    return first == null ? Map.of() : first.waiting();
  }

  /** This host's name: its {@code application.server}, or a random name. */
  public String instance() {
    return instance;
  }

  /** The configuration this host runs its versions with: the cluster and its client settings. */
  public JobConfig config() {
    return config;
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
   * @throws dev.kappa.reprocessing.replay.MissingSourcesException if a source topic does not exist
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
    Set<String> deleted = new Retirer(admin).deleteOwned(version, owned);
    positions.forget(version.applicationId());
    return new Retirement(version, deleted, version.consumerGroup());
  }

  /** The last measured replay progress of {@code version} on this instance, if it runs here. */
  public Optional<ReplayProgress> progress(JobVersion version) {
    return lifecycle.runtime(version).flatMap(VersionRuntime::progress);
  }

  /**
   * Waits until the registry lists {@code version} as caught up, on whichever instance measured it,
   * and returns the job's history then; at once if it already does. Woken by the registry, not by
   * polling. Caught up is the registry's status, not being active: the first version of a job is
   * active at once, and is waited for until it has replayed its backlog too.
   *
   * <pre>{@code
   * host.startVersion("network-usage", 2, StartOptions.defaults());
   * host.awaitCaughtUp(JobVersion.of("network-usage", 2), Duration.ofMinutes(30));
   * host.swap("network-usage", 2);
   * }</pre>
   *
   * @param timeout how long to wait at most; zero checks once
   * @return the job's history, which lists the version as caught up
   * @throws CatchUpTimeoutException if it has not caught up within {@code timeout}, with its status
   *     and its last progress on this instance in the message, or, if the registry does not list it
   *     by then, saying it was never started (a version started on another instance a moment ago is
   *     waited for, since this host may not have read that command yet)
   * @throws IllegalStateException if the registry lists the version or comes to list it as retired,
   *     or this host closes meanwhile
   * @throws IllegalArgumentException if {@code timeout} is negative
   * @throws KappaException if the thread is interrupted (its interrupt flag is set again)
   */
  public JobHistory awaitCaughtUp(JobVersion version, Duration timeout) {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
    }
    CatchUpWait wait =
        new CatchUpWait(version, instance, topology(version).isPresent(), () -> progress(version));
    waits.add(wait);
    if (closed) {
      wait.abort();
    }
    registry.addListener(wait);
    try {
      // Only after the listener is added: a command folded meanwhile is not missed.
      wait.consider(registry.history(version.job()));
      return wait.await(timeout);
    } finally {
      registry.removeListener(wait);
      waits.remove(wait);
    }
  }

  /** The Kafka Streams instance of {@code version} on this host, if it runs here. */
  public Optional<RunningJob> running(JobVersion version) {
    return lifecycle.runtime(version).map(VersionRuntime::running);
  }

  /** The versions running on this host. */
  public Set<JobVersion> runningVersions() {
    Set<JobVersion> versions = new TreeSet<>();
    if (lifecycle != null) {
      lifecycle.runtimes().forEach(runtime -> versions.add(runtime.version()));
    }
    return versions;
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
  public Set<Integer> listedVersions(String job) {
    return registry.history(job).versions().keySet();
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

  /**
   * Stops every version on this host (they keep their state and stay registered: the other
   * instances take over their partitions) and closes the registry.
   */
  @Override
  public void close() {
    closed = true;
    if (firstVersions != null) {
      firstVersions.close();
    }
    waits.forEach(CatchUpWait::abort);
    if (checker != null) {
      checker.close();
    }
    if (lifecycle != null) {
      lifecycle.close();
    }
    if (positions != null) {
      positions.close();
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
    private @Nullable String instance;
    private boolean startFirstVersions;

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
     * Starts, once the host runs, the lowest version this host has code for of each job that the
     * registry lists no version of, as {@link JobHost#startVersion} with {@link
     * StartOptions#acceptingPartialHistory()} (there is no older version whose results it must
     * match), so that a new deployment serves without a call. Several instances may start at once:
     * the registry starts the version once, and the others log that it was started and run it. A
     * job whose source topics do not exist yet waits for them ({@link JobHost#waitingForSources()})
     * while the others run, and starts once they exist. Later versions are started by {@link
     * JobHost#startVersion}. Off unless set.
     */
    public Builder startingFirstVersions() {
      this.startFirstVersions = true;
      return this;
    }

    /**
     * Checks every version's code against the settings, opens the registry, starts the versions it
     * lists that this host has code for (and, with {@link #startingFirstVersions()}, the first
     * version of each new job), and starts measuring their progress.
     *
     * @throws IllegalArgumentException if the settings' {@link ReplaySettings#maxEventTimeSkew()
     *     skew} is not below the smallest grace of a version's windows and joins, naming the step
     * @throws dev.kappa.topology.JobDefinitionException if the code of a version is wrong
     * @throws KappaException if the cluster cannot be reached, or a first version cannot be started
     *     (its sources do not exist)
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
