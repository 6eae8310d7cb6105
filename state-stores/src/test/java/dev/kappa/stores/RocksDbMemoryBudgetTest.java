package dev.kappa.stores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kappa.serde.Codec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbMemoryBudgetTest {

  private static final long BUDGET_BYTES = 8L * 1024 * 1024;
  private static final int KEYS = 40_000;
  private static final int VALUE_BYTES = 1024;

  @TempDir Path stateDir;
  private final RocksDbMemoryBudget budget = RocksDbMemoryBudget.ofBytes(BUDGET_BYTES);
  private final List<TopologyTestDriver> drivers = new ArrayList<>();

  @AfterEach
  void closeDriversThenBudget() {
    drivers.forEach(TopologyTestDriver::close);
    budget.close();
  }

  @Test
  void shouldKeepTheUsageOfTwoInstancesWithinOneBudgetWhileTheirDataIsFiveTimesLarger() {
    // Two Kafka Streams instances in one JVM, as when two versions of a job run side by side.
    TopologyTestDriver first = driver("first");
    TopologyTestDriver second = driver("second");
    long maxUsage = 0;
    Random random = new Random(7);
    for (TopologyTestDriver driver : List.of(first, second)) {
      TestInputTopic<String, String> input =
          driver.createInputTopic("input", new StringSerializer(), new StringSerializer());
      for (int key = 0; key < KEYS; key++) {
        input.pipeInput(key(key), randomValue(random));
        if (key % 1000 == 0) {
          maxUsage = Math.max(maxUsage, budget.usage());
        }
      }
    }
    // Random point reads pull data blocks into the shared cache until it must evict.
    for (TopologyTestDriver driver : List.of(first, second)) {
      KeyValueStore<String, ValueAndTimestamp<String>> store =
          driver.getTimestampedKeyValueStore("values");
      for (int read = 0; read < KEYS; read++) {
        assertThat(store.get(key(random.nextInt(KEYS)))).isNotNull();
        if (read % 1000 == 0) {
          maxUsage = Math.max(maxUsage, budget.usage());
        }
      }
    }

    long dataBytes = 2L * KEYS * VALUE_BYTES;
    assertThat(dataBytes).isGreaterThan(5 * BUDGET_BYTES);
    assertThat(maxUsage).isPositive().isLessThanOrEqualTo(BUDGET_BYTES);
    // Kafka Streams' own RocksDB metrics see the same shared cache and its capacity.
    assertThat(metric(first, "block-cache-capacity")).isEqualTo((double) BUDGET_BYTES);
    assertThat(metric(second, "block-cache-usage"))
        .isPositive()
        .isLessThanOrEqualTo((double) BUDGET_BYTES);
  }

  @Test
  void shouldRefuseABudgetTooSmallForOneStore() {
    assertThatThrownBy(() -> RocksDbMemoryBudget.ofBytes(1024))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot create a RocksDB memory budget of 1024 bytes: the minimum is 4194304 bytes (4 MiB)");
  }

  @Test
  void shouldFallBackToTheProcessDefaultAndRefuseAnythingButABudget() {
    assertThat(RocksDbMemoryBudget.from(Map.of())).isSameAs(RocksDbMemoryBudget.processDefault());
    assertThat(RocksDbMemoryBudget.processDefault().totalBytes()).isEqualTo(256L * 1024 * 1024);
    assertThat(RocksDbMemoryBudget.from(Map.of(RocksDbMemoryBudget.CONFIG, budget)))
        .isSameAs(budget);
    assertThatThrownBy(() -> RocksDbMemoryBudget.from(Map.of(RocksDbMemoryBudget.CONFIG, "256MiB")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "must be a dev.kappa.stores.RocksDbMemoryBudget instance, not a java.lang.String");
    assertThatThrownBy(() -> RocksDbMemoryBudget.processDefault().close())
        .isInstanceOf(IllegalStateException.class);
  }

  private TopologyTestDriver driver(String applicationId) {
    Topology topology = new Topology();
    topology.addSource(
        "input-source", Serdes.String().deserializer(), Serdes.String().deserializer(), "input");
    topology.addProcessor("store-values", StoreValues::new, "input-source");
    topology.addStateStore(
        PersistentStores.keyValueStoreBuilder("values", Codec.string(), Codec.string())
            .withCachingDisabled(),
        "store-values");
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    config.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDbConfig.class);
    config.put(RocksDbMemoryBudget.CONFIG, budget);
    TopologyTestDriver driver = new TopologyTestDriver(topology, config);
    drivers.add(driver);
    return driver;
  }

  private static double metric(TopologyTestDriver driver, String name) {
    Map<?, ? extends Metric> metrics = driver.metrics();
    return metrics.entrySet().stream()
        .filter(e -> e.getValue().metricName().name().equals(name))
        .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
        .max()
        .orElseThrow(() -> new AssertionError("no metric " + name));
  }

  private static String key(int key) {
    return String.format("key-%08d", key);
  }

  private static String randomValue(Random random) {
    StringBuilder value = new StringBuilder(VALUE_BYTES);
    for (int i = 0; i < VALUE_BYTES; i++) {
      value.append((char) ('a' + random.nextInt(26)));
    }
    return value.toString();
  }

  private static final class StoreValues implements Processor<String, String, Void, Void> {
    private TimestampedKeyValueStore<String, String> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      store = context.getStateStore("values");
    }

    @Override
    public void process(Record<String, String> record) {
      store.put(record.key(), ValueAndTimestamp.make(record.value(), record.timestamp()));
    }
  }
}
