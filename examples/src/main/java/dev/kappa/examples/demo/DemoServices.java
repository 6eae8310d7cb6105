package dev.kappa.examples.demo;

import dev.kappa.api.host.ServingHost;
import dev.kappa.reprocessing.JobHost;
import dev.kappa.reprocessing.query.Answer;
import dev.kappa.reprocessing.query.KeyElsewhereException;
import dev.kappa.reprocessing.query.PartitionRows;
import dev.kappa.reprocessing.query.StoreNotReadyException;
import dev.kappa.reprocessing.query.TableQueries;
import dev.kappa.topology.KappaException;
import dev.kappa.topology.ServingTable;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.HostInfo;
import org.jspecify.annotations.Nullable;

/**
 * The demo's instances of the Kappa service (the {@code api} module), in this JVM: each on its own
 * HTTP port and state directory, all following the same registry, with the demo's admin and peer
 * tokens. Each hosts only the demo's job, of the examples the service finds on the class path.
 */
final class DemoServices implements AutoCloseable {

  /** The bearer token of the admin calls; a demo value, printed for curl. */
  static final String ADMIN_TOKEN = "demo-admin-token";

  /** The token the instances use between themselves; a demo value. */
  static final String PEER_TOKEN = "demo-peer-token";

  private final List<EmbeddedServer> servers;
  private final Map<String, JobHost> hosts;

  private final String bootstrapServers;

  private DemoServices(List<EmbeddedServer> servers, String bootstrapServers) {
    this.servers = servers;
    this.bootstrapServers = bootstrapServers;
    this.hosts = new LinkedHashMap<>();
    for (EmbeddedServer server : servers) {
      JobHost host = server.getApplicationContext().getBean(ServingHost.class).require();
      hosts.put(host.instance(), host);
    }
  }

  /**
   * Checks that each port is free, so that a taken port is reported before anything starts.
   *
   * @throws PortTakenException naming the port and the option that sets it
   */
  static void checkPortsFree(Map<String, Integer> portsByOption) {
    portsByOption.forEach(
        (option, port) -> {
          try (ServerSocket probe = new ServerSocket(port)) {
            probe.setReuseAddress(true);
          } catch (IOException e) {
            throw new PortTakenException(port, option, e);
          }
        });
  }

  /**
   * Starts one instance per port, hosting only {@code job}; the versions are started by the demo,
   * not by the service.
   *
   * @param catchUpLag the lag, in records, at which a replaying version has caught up
   * @throws PortTakenException if a port was taken meanwhile
   */
  static DemoServices start(
      String job,
      String bootstrapServers,
      Map<String, Integer> portsByOption,
      List<Path> stateDirectories,
      long catchUpLag) {
    List<EmbeddedServer> servers = new ArrayList<>();
    try {
      int index = 0;
      for (Map.Entry<String, Integer> port : portsByOption.entrySet()) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("micronaut.server.port", port.getValue());
        properties.put("kappa.bootstrap-servers", bootstrapServers);
        properties.put("kappa.state-directory", stateDirectories.get(index++).toString());
        // The demo starts v1 itself, after it has checked that the registry is new; it hosts only
        // this job, of the examples on the class path.
        properties.put("kappa.start-first-versions", false);
        properties.put("kappa.jobs", job);
        properties.put("kappa.security.admin-tokens", ADMIN_TOKEN);
        properties.put("kappa.security.peer-token", PEER_TOKEN);
        properties.put("kappa.replay.catch-up-lag", catchUpLag);
        servers.add(start(properties, port.getKey(), port.getValue()));
      }
      return new DemoServices(servers, bootstrapServers);
    } catch (RuntimeException e) {
      servers.forEach(EmbeddedServer::close);
      throw e;
    }
  }

  private static EmbeddedServer start(Map<String, Object> properties, String option, int port) {
    ApplicationContext context =
        ApplicationContext.builder(properties).deduceEnvironment(false).start();
    try {
      EmbeddedServer server = context.getBean(EmbeddedServer.class);
      server.start();
      return server;
    } catch (RuntimeException e) {
      context.close();
      @Nullable Throwable cause = e;
      while (cause != null) {
        if (cause instanceof BindException) {
          throw new PortTakenException(port, option, cause);
        }
        cause = cause.getCause();
      }
      throw e;
    }
  }

  /** The first instance's host: the demo starts, swaps and retires versions through it. */
  JobHost first() {
    return hosts.values().iterator().next();
  }

  /** Every instance's host. */
  List<JobHost> hosts() {
    return List.copyOf(hosts.values());
  }

  /** The base URL of each instance, such as {@code http://localhost:8080}. */
  List<String> urls() {
    return servers.stream().map(server -> "http://localhost:" + server.getPort()).toList();
  }

  /**
   * Asks the first instance; if another instance holds the key, asks that one, as the HTTP service
   * forwards a query.
   */
  <V> Answer<V> query(Function<TableQueries, Answer<V>> query) {
    try {
      return query.apply(first().queries());
    } catch (KeyElsewhereException e) {
      @Nullable HostInfo holder = e.location().activeHost().orElse(null);
      @Nullable JobHost other =
          holder == null ? null : hosts.get(holder.host() + ":" + holder.port());
      if (other == null) {
        throw e;
      }
      return query.apply(other.queries());
    }
  }

  /**
   * The rows of a key-value table from {@code from} to {@code to} (inclusive; null for open) in the
   * active version, or in {@code version} if present, asked of every instance and merged as the
   * HTTP service merges them: each partition once, from the first instance that answers for it.
   *
   * @throws StoreNotReadyException if no instance can answer yet
   */
  <K, V> Answer<List<KeyValue<K, V>>> range(
      String job, ServingTable<K, V> table, @Nullable K from, @Nullable K to, OptionalInt version) {
    List<KeyValue<K, V>> rows = new ArrayList<>();
    Set<Integer> answered = new HashSet<>();
    @Nullable Answer<?> last = null;
    @Nullable StoreNotReadyException notReady = null;
    // Every instance is asked for the same version, even while a swap reaches them one by one.
    OptionalInt pinned =
        version.isPresent() ? version : hosts.values().iterator().next().activeVersion(job);
    for (JobHost host : hosts.values()) {
      try {
        TableQueries.TableView<K, V> view = host.queries().table(job, table);
        if (pinned.isPresent()) {
          view = view.inVersion(pinned.getAsInt());
        }
        Answer<PartitionRows<KeyValue<K, V>>> answer = view.rangeByPartition(from, to);
        // A partition moving between the instances may answer from both: keep one answer.
        if (Collections.disjoint(answered, answer.value().partitions())) {
          rows.addAll(answer.value().rows());
          answered.addAll(answer.value().partitions());
          last = answer;
        }
      } catch (StoreNotReadyException e) {
        notReady = e;
      }
    }
    if (last == null) {
      throw notReady != null
          ? notReady
          : new StoreNotReadyException(
              "No instance answers for table '" + table.name() + "'", Duration.ofSeconds(1));
    }
    return new Answer<>(last.version(), rows);
  }

  /**
   * How many committed records {@code topic} holds. Under exactly-once, end offsets also count the
   * transaction markers, so the records are read, with {@code read_committed}; for small topics.
   */
  long records(String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(info -> new TopicPartition(topic, info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
      long count = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
          && System.nanoTime() < deadline) {
        count += consumer.poll(Duration.ofMillis(200)).count();
      }
      return count;
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new KappaException(
          "Cannot count the records of topic '" + topic + "': " + e.getMessage(), e);
    }
  }

  /** Stops the instances, the last one first; the registry and the topics stay. */
  @Override
  public void close() {
    for (int i = servers.size() - 1; i >= 0; i--) {
      servers.get(i).getApplicationContext().close();
    }
  }

  /** A port of the service is taken by another process. */
  static final class PortTakenException extends KappaException {
    private static final long serialVersionUID = 1L;

    PortTakenException(int port, String option, Throwable cause) {
      super(
          "Cannot start the service on port "
              + port
              + ": it is taken ("
              + cause.getMessage()
              + "). Stop what listens there, or pass "
              + option
              + " with a free port.",
          cause);
    }
  }
}
