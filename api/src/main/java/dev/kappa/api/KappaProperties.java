package dev.kappa.api;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.core.naming.conventions.StringConvention;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The service's settings, under {@code kappa} in {@code application.yml}.
 *
 * <pre>
 * kappa:
 *   bootstrap-servers: broker:9092
 *   state-directory: /var/lib/kappa
 *   advertised-host: 10.0.0.7        # with the HTTP port, this instance's application.server
 *   kafka:                           # passed to Kafka Streams as they are
 *     num.standby.replicas: 1
 *   routing:
 *     timeout: 2s
 *   security:
 *     admin-tokens: [ "${KAPPA_ADMIN_TOKEN}" ]
 *     peer-token: "${KAPPA_PEER_TOKEN}"
 * </pre>
 */
@ConfigurationProperties("kappa")
public class KappaProperties {

  private @Nullable String bootstrapServers;
  private @Nullable Path stateDirectory;
  private String advertisedHost = "localhost";
  private String registryTopic = "kappa-registry";
  private boolean startFirstVersions = true;
  private List<String> jobs = List.of();
  private Map<String, String> kafka = new LinkedHashMap<>();
  private Replay replay = new Replay();
  private Routing routing = new Routing();
  private Security security = new Security();

  /** The Kafka cluster; required. */
  public @Nullable String getBootstrapServers() {
    return bootstrapServers;
  }

  public void setBootstrapServers(@Nullable String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  /** Where the versions keep their local state; a new temporary directory if unset. */
  public @Nullable Path getStateDirectory() {
    return stateDirectory;
  }

  public void setStateDirectory(@Nullable Path stateDirectory) {
    this.stateDirectory = stateDirectory;
  }

  /**
   * The host name other instances reach this one at; with the HTTP port it is the {@code
   * application.server} of every version here. Default {@code localhost}.
   */
  public String getAdvertisedHost() {
    return advertisedHost;
  }

  public void setAdvertisedHost(String advertisedHost) {
    this.advertisedHost = advertisedHost;
  }

  /** The registry topic; the same for every instance of a deployment. */
  public String getRegistryTopic() {
    return registryTopic;
  }

  public void setRegistryTopic(String registryTopic) {
    this.registryTopic = registryTopic;
  }

  /**
   * Whether the service starts the lowest version it has code for of each job that has no version
   * in the registry yet, so that a new deployment serves without an admin call. Default true.
   */
  public boolean isStartFirstVersions() {
    return startFirstVersions;
  }

  public void setStartFirstVersions(boolean startFirstVersions) {
    this.startFirstVersions = startFirstVersions;
  }

  /**
   * The names of the jobs to host, of those found on the class path; all of them if empty (the
   * default). An instance hosts the same jobs as the others of its deployment.
   */
  public List<String> getJobs() {
    return jobs;
  }

  public void setJobs(List<String> jobs) {
    this.jobs = List.copyOf(jobs);
  }

  /** Kafka Streams and client settings, passed as they are ({@code kappa.kafka.linger.ms: 5}). */
  public Map<String, String> getKafka() {
    return kafka;
  }

  public void setKafka(
      @MapFormat(
              transformation = MapFormat.MapTransformation.FLAT,
              keyFormat = StringConvention.RAW)
          Map<String, String> kafka) {
    this.kafka = new LinkedHashMap<>(kafka);
  }

  public Replay getReplay() {
    return replay;
  }

  public void setReplay(Replay replay) {
    this.replay = replay;
  }

  public Routing getRouting() {
    return routing;
  }

  public void setRouting(Routing routing) {
    this.routing = routing;
  }

  public Security getSecurity() {
    return security;
  }

  public void setSecurity(Security security) {
    this.security = security;
  }

  /** When a replaying version counts as caught up; unset values keep the library's defaults. */
  @ConfigurationProperties("replay")
  public static class Replay {
    private @Nullable Long catchUpLag;
    private @Nullable Duration settlingPeriod;
    private @Nullable Duration maxEventTimeSkew;

    /** The largest input lag, in records, at which a version has caught up. */
    public @Nullable Long getCatchUpLag() {
      return catchUpLag;
    }

    public void setCatchUpLag(@Nullable Long catchUpLag) {
      this.catchUpLag = catchUpLag;
    }

    /** How long a version must stay within the lag before it counts as caught up. */
    public @Nullable Duration getSettlingPeriod() {
      return settlingPeriod;
    }

    public void setSettlingPeriod(@Nullable Duration settlingPeriod) {
      this.settlingPeriod = settlingPeriod;
    }

    /** How far apart in log time the source partitions of a replay may run. */
    public @Nullable Duration getMaxEventTimeSkew() {
      return maxEventTimeSkew;
    }

    public void setMaxEventTimeSkew(@Nullable Duration maxEventTimeSkew) {
      this.maxEventTimeSkew = maxEventTimeSkew;
    }
  }

  /** How queries reach the instance that holds a key, and how long they wait for a store. */
  @ConfigurationProperties("routing")
  public static class Routing {
    private Duration timeout = Duration.ofSeconds(2);
    private Duration notReadyWait = Duration.ofSeconds(5);
    private Duration retryBackoff = Duration.ofMillis(50);

    /** The longest wait for one forwarded call. Default 2 s. */
    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    /**
     * How long a query retries while a store restores, migrates or the key moves, before it answers
     * 503 with Retry-After. Default 5 s.
     */
    public Duration getNotReadyWait() {
      return notReadyWait;
    }

    public void setNotReadyWait(Duration notReadyWait) {
      this.notReadyWait = notReadyWait;
    }

    /** The first pause between retries; it doubles up to 1 s. Default 50 ms. */
    public Duration getRetryBackoff() {
      return retryBackoff;
    }

    public void setRetryBackoff(Duration retryBackoff) {
      this.retryBackoff = retryBackoff;
    }
  }

  /**
   * Who may call what. Admin operations need an admin token (bearer) or an admin user (basic); with
   * neither configured they are refused. Calls between instances carry the peer token.
   */
  @ConfigurationProperties("security")
  public static class Security {
    private List<String> adminTokens = List.of();
    private Map<String, String> adminUsers = new LinkedHashMap<>();
    private @Nullable String peerToken;
    private boolean openReads = true;

    /** Bearer tokens that grant the admin role. */
    public List<String> getAdminTokens() {
      return adminTokens;
    }

    public void setAdminTokens(List<String> adminTokens) {
      this.adminTokens = List.copyOf(adminTokens);
    }

    /** User names and passwords (HTTP basic) that grant the admin role. */
    public Map<String, String> getAdminUsers() {
      return adminUsers;
    }

    public void setAdminUsers(
        @MapFormat(keyFormat = StringConvention.RAW) Map<String, String> adminUsers) {
      this.adminUsers = new LinkedHashMap<>(adminUsers);
    }

    /**
     * The bearer token instances use to call each other; the same on every instance. Without it, an
     * instance answers only the keys it holds.
     */
    public @Nullable String getPeerToken() {
      return peerToken;
    }

    public void setPeerToken(@Nullable String peerToken) {
      this.peerToken = peerToken;
    }

    /** Whether reads need no authentication. Default true. */
    public boolean isOpenReads() {
      return openReads;
    }

    public void setOpenReads(boolean openReads) {
      this.openReads = openReads;
    }
  }
}
