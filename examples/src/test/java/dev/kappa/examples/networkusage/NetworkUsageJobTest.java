package dev.kappa.examples.networkusage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kappa.topology.ServingTable;
import dev.kappa.topology.deadletter.DeadLetter;
import dev.kappa.topology.testing.JobTestDriver;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The network-usage job on a hand-made input. Two agents: a-1 with nodes n-1 and n-2, a-2 with node
 * n-3. Times are offsets from {@link #START} (10:00:00).
 */
class NetworkUsageJobTest {

  private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");

  private JobTestDriver driver;
  private TestInputTopic<String, UsageEvent> readings;
  private TestInputTopic<String, NodeAlarm> alarms;

  @BeforeEach
  void start() {
    driver = JobTestDriver.of(NetworkUsageJob.job(), START);
    readings = driver.input(NetworkUsageJob.USAGE_EVENTS);
    alarms = driver.input(NetworkUsageJob.NODE_ALARMS);
  }

  @AfterEach
  void close() {
    driver.close();
  }

  @Test
  void shouldSumBytesAndCountReadingsPerNodeAgentAndNetworkInEachMinute() {
    //           window 10:00-10:01                 window 10:01-10:02
    // n-1 (a-1) c-1: 100 at 0s, c-2: 200 at 59.999s  c-1: 1000 at 60s
    // n-2 (a-1) c-3: 10 at 30s
    // n-3 (a-2) c-4: 5 at 70s, then c-4: 7 at 45s (out of order, within grace)
    read("c-1", "n-1", "a-1", 100, 0);
    read("c-2", "n-1", "a-1", 200, 59_999);
    read("c-1", "n-1", "a-1", 1_000, 60_000);
    read("c-3", "n-2", "a-1", 10, 30_000);
    read("c-4", "n-3", "a-2", 5, 70_000);
    read("c-4", "n-3", "a-2", 7, 45_000);

    assertThat(windows(NetworkUsageJob.USAGE_BY_NODE.name(), "n-1"))
        .containsExactly(window(0, 300, 2), window(60, 1_000, 1));
    assertThat(windows(NetworkUsageJob.USAGE_BY_NODE.name(), "n-2"))
        .containsExactly(window(0, 10, 1));
    assertThat(windows(NetworkUsageJob.USAGE_BY_NODE.name(), "n-3"))
        .containsExactly(window(0, 7, 1), window(60, 5, 1));
    assertThat(windows(NetworkUsageJob.USAGE_BY_AGENT.name(), "a-1"))
        .containsExactly(window(0, 310, 3), window(60, 1_000, 1));
    assertThat(windows(NetworkUsageJob.USAGE_BY_AGENT.name(), "a-2"))
        .containsExactly(window(0, 7, 1), window(60, 5, 1));
    assertThat(windows(NetworkUsageJob.USAGE_NETWORK.name(), NetworkUsageJob.NETWORK))
        .containsExactly(window(0, 317, 4), window(60, 1_005, 2));
    // Customers' totals since the start, across windows and arrival order.
    assertThat(customer(driver, "c-1")).isEqualTo(new Usage(1_100, 2));
    assertThat(customer(driver, "c-4")).isEqualTo(new Usage(12, 2));
    assertThat(customer(driver, "c-5")).isNull();
    assertThat(driver.deadLetters()).isEmpty();
    assertThat(driver.droppedRecords()).isZero();
  }

  @Test
  void shouldRollTheNetworkTotalUpToHoursDaysAndMonths() {
    // 10:00 on 22 November and 11:59:59.999 the same day
    read("c-1", "n-1", "a-1", 100, 0);
    read("c-2", "n-2", "a-1", 20, Duration.ofHours(2).toMillis() - 1);
    assertThat(windows(NetworkUsageJob.USAGE_NETWORK_HOURS.name(), NetworkUsageJob.NETWORK))
        .containsExactly(
            KeyValue.pair(START, new Usage(100, 1)),
            KeyValue.pair(START.plus(Duration.ofHours(1)), new Usage(20, 1)));

    // midnight on 1 December, after the hours of 22 November have expired
    Instant december = Instant.parse("2026-12-01T00:00:00Z");
    read("c-3", "n-3", "a-2", 3, Duration.between(START, december).toMillis());
    Instant day = START.truncatedTo(ChronoUnit.DAYS);
    Instant november = Instant.parse("2026-11-01T00:00:00Z");
    assertThat(windowsSince(NetworkUsageJob.USAGE_NETWORK_DAYS, november))
        .containsExactly(
            KeyValue.pair(day, new Usage(120, 2)), KeyValue.pair(december, new Usage(3, 1)));
    assertThat(windowsSince(NetworkUsageJob.USAGE_NETWORK_MONTHS, november))
        .containsExactly(
            KeyValue.pair(november, new Usage(120, 2)), KeyValue.pair(december, new Usage(3, 1)));
  }

  @Test
  void shouldDropAReadingThatArrivesAfterItsWindowClosedAndCountIt() {
    read("c-1", "n-1", "a-1", 100, 0);
    read("c-1", "n-1", "a-1", 1, 90_000);
    // window 10:00-10:01 closed at 10:01:30: a reading at 10:00:20 is too late for every level
    read("c-2", "n-1", "a-1", 50, 20_000);

    assertThat(windows(NetworkUsageJob.USAGE_BY_NODE.name(), "n-1"))
        .containsExactly(window(0, 100, 1), window(60, 1, 1));
    assertThat(windows(NetworkUsageJob.USAGE_NETWORK.name(), NetworkUsageJob.NETWORK))
        .containsExactly(window(0, 100, 1), window(60, 1, 1));
    // dropped by the node totals and by the agent totals; the network total is rolled up from the
    // agents', so it never sees the reading
    assertThat(driver.droppedRecords()).isEqualTo(2);
    assertThat(driver.deadLetterCount()).isZero();
  }

  @Test
  void shouldNotLetAnAlarmAheadOfTheReadingsCloseTheNodeWindows() {
    // The node totals are aggregated in the task that also reads the alarms. An alarm released
    // while the readings of its time are still on their way through the repartition topic (as
    // after a crash) moves that task's stream time, not the windows' clock: the readings count.
    alarm("n-1", "link-down", 120_000);
    read("c-1", "n-1", "a-1", 100, 0);
    read("c-2", "n-1", "a-1", 50, 20_000);

    assertThat(windows(NetworkUsageJob.USAGE_BY_NODE.name(), "n-1"))
        .containsExactly(window(0, 150, 2));
    assertThat(windows(NetworkUsageJob.USAGE_BY_AGENT.name(), "a-1"))
        .containsExactly(window(0, 150, 2));
  }

  @Test
  void shouldSendMalformedReadingsToTheDeadLetterTopicWithTheReason() {
    TestInputTopic<byte[], byte[]> raw = driver.rawInput(NetworkUsageJob.USAGE_EVENTS);
    raw.pipeInput(bytes("c-1"), bytes("{\"customerId\":\"c-1\",\"nodeId\":"), START);
    read("c-2", "n-1", "a-1", -5, 0);
    readings.pipeInput("c-3", new UsageEvent("c-3", null, "a-1", 5L, START), START);
    readings.pipeInput("c-4", new UsageEvent("c-4", "n-1", " ", 5L, START), START);
    readings.pipeInput("c-5", new UsageEvent("c-5", "n-1", "a-1", null, START), START);
    read("c-6", "n-1", "a-1", 42, 0);

    List<DeadLetter> letters = driver.deadLetters();

    assertThat(letters)
        .extracting(DeadLetter::message)
        .containsExactly(
            "Cannot read a UsageEvent from topic 'usage-events': Unexpected end-of-input within/between Object"
                + " entries at line 1, column 30",
            "Record rejected by 'valid-readings': bytes must not be negative, was -5",
            "Record rejected by 'valid-readings': nodeId is missing",
            "Record rejected by 'valid-readings': agentId is missing",
            "Record rejected by 'valid-readings': bytes is missing");
    assertThat(letters).extracting(DeadLetter::sourceTopic).containsOnly("usage-events");
    assertThat(new String(letters.get(1).key(), UTF_8)).isEqualTo("c-2");
    assertThat(windows(NetworkUsageJob.USAGE_NETWORK.name(), NetworkUsageJob.NETWORK))
        .containsExactly(window(0, 42, 1));
    assertThat(driver.deadLetterCount()).isEqualTo(5);
  }

  @Test
  void shouldJoinEachAlarmWithTheReadingsOfItsNodeWithinTenSeconds() {
    // alarm of n-1 at 20s: readings of n-1 at 10s and 30s are within 10 s, 31s and n-2's 20s are
    // not
    read("c-1", "n-1", "a-1", 1, 10_000);
    read("c-2", "n-1", "a-1", 2, 30_000);
    read("c-3", "n-1", "a-1", 3, 31_000);
    read("c-4", "n-2", "a-1", 4, 20_000);
    alarm("n-1", "link-down", 20_000);

    List<AlarmWithUsage> joined =
        driver.output(NetworkUsageJob.ALARMS_WITH_USAGE).readValuesToList();

    assertThat(joined).extracting(pair -> pair.reading().bytes()).containsExactlyInAnyOrder(1L, 2L);
    assertThat(joined).extracting(pair -> pair.alarm().kind()).containsOnly("link-down");
  }

  @Test
  void shouldReportAnAlarmWithoutNearbyReadingsOnceItsWindowHasClosed() {
    alarm("n-9", "power-failure", 0);
    read("c-1", "n-1", "a-1", 1, 39_000);
    assertThat(driver.output(NetworkUsageJob.ALARMS_WITH_USAGE).isEmpty()).isTrue();

    // stream time passes 0 + 10 s window + 30 s grace
    alarm("n-1", "link-down", 41_000);

    assertThat(driver.output(NetworkUsageJob.ALARMS_WITH_USAGE).readKeyValuesToList())
        .containsExactly(
            KeyValue.pair(
                "n-9", new AlarmWithUsage(new NodeAlarm("n-9", "power-failure", START), null)),
            KeyValue.pair(
                "n-1",
                new AlarmWithUsage(
                    new NodeAlarm("n-1", "link-down", START.plusSeconds(41)),
                    new UsageEvent("c-1", "n-1", "a-1", 1L, START.plusSeconds(39)))));
  }

  @Test
  void shouldLeaveKeepAlivesOutOfEveryTotalAndOfTheAlarmJoinInV2() {
    //           window 10:00-10:01                               window 10:01-10:02
    // n-1 (a-1) c-1: 100 at 0s (keep-alive), c-2: 5000 at 10s     c-1: 64 at 60s (keep-alive)
    // n-2 (a-1) c-3: 1024 at 20s (the threshold itself is usage)
    // n-3 (a-2) c-4: 1023 at 30s (keep-alive), c-4: 2000 at 40s
    // alarm of n-1 at 5s: within 10 s of the keep-alive at 0s and the reading at 10s
    BiConsumer<TestInputTopic<String, UsageEvent>, TestInputTopic<String, NodeAlarm>> feed =
        (input, alarmInput) -> {
          read(input, "c-1", "n-1", "a-1", 100, 0);
          read(input, "c-2", "n-1", "a-1", 5_000, 10_000);
          alarm(alarmInput, "n-1", "link-down", 5_000);
          read(input, "c-3", "n-2", "a-1", 1_024, 20_000);
          read(input, "c-4", "n-3", "a-2", 1_023, 30_000);
          read(input, "c-4", "n-3", "a-2", 2_000, 40_000);
          read(input, "c-1", "n-1", "a-1", 64, 60_000);
        };
    try (JobTestDriver v2 = JobTestDriver.of(NetworkUsageJob.v2(), START)) {
      feed.accept(readings, alarms);
      feed.accept(v2.input(NetworkUsageJob.USAGE_EVENTS), v2.input(NetworkUsageJob.NODE_ALARMS));

      // v1 counts every reading
      assertThat(windows(driver, NetworkUsageJob.USAGE_BY_NODE, "n-1"))
          .containsExactly(window(0, 5_100, 2), window(60, 64, 1));
      assertThat(windows(driver, NetworkUsageJob.USAGE_BY_AGENT, "a-2"))
          .containsExactly(window(0, 3_023, 2));
      assertThat(windows(driver, NetworkUsageJob.USAGE_NETWORK, NetworkUsageJob.NETWORK))
          .containsExactly(window(0, 9_147, 5), window(60, 64, 1));
      assertThat(driver.output(NetworkUsageJob.ALARMS_WITH_USAGE).readValuesToList())
          .extracting(pair -> pair.reading().bytes())
          .containsExactlyInAnyOrder(100L, 5_000L);
      // v2 leaves out the keep-alives: n-1 has no window at 10:01, where it sent only one
      assertThat(windows(v2, NetworkUsageJob.USAGE_BY_NODE, "n-1"))
          .containsExactly(window(0, 5_000, 1));
      assertThat(windows(v2, NetworkUsageJob.USAGE_BY_NODE, "n-2"))
          .containsExactly(window(0, 1_024, 1));
      assertThat(windows(v2, NetworkUsageJob.USAGE_BY_NODE, "n-3"))
          .containsExactly(window(0, 2_000, 1));
      assertThat(windows(v2, NetworkUsageJob.USAGE_BY_AGENT, "a-1"))
          .containsExactly(window(0, 6_024, 2));
      assertThat(windows(v2, NetworkUsageJob.USAGE_BY_AGENT, "a-2"))
          .containsExactly(window(0, 2_000, 1));
      assertThat(windows(v2, NetworkUsageJob.USAGE_NETWORK, NetworkUsageJob.NETWORK))
          .containsExactly(window(0, 8_024, 3));
      assertThat(customer(driver, "c-1")).isEqualTo(new Usage(164, 2));
      assertThat(customer(v2, "c-1")).isNull();
      assertThat(customer(v2, "c-4")).isEqualTo(new Usage(2_000, 1));
      assertThat(v2.output(NetworkUsageJob.ALARMS_WITH_USAGE).readValuesToList())
          .extracting(pair -> pair.reading().bytes())
          .containsExactly(5_000L);
      assertThat(v2.deadLetters()).isEmpty();
      assertThat(v2.droppedRecords()).isZero();
    }
  }

  @Test
  void shouldBuildBothVersionsUnderTheSameJobAndTableNames() {
    assertThat(NetworkUsageJob.v2().name()).isEqualTo(NetworkUsageJob.job().name());
    assertThat(NetworkUsageJob.v2().servingTables())
        .containsExactlyElementsOf(NetworkUsageJob.job().servingTables());
  }

  private static Usage customer(JobTestDriver driver, String customer) {
    ValueAndTimestamp<Usage> usage =
        driver.keyValueStore(NetworkUsageJob.USAGE_BY_CUSTOMER).get(customer);
    return usage == null ? null : usage.value();
  }

  private void read(String customer, String node, String agent, long bytes, long offsetMillis) {
    read(readings, customer, node, agent, bytes, offsetMillis);
  }

  private static void read(
      TestInputTopic<String, UsageEvent> topic,
      String customer,
      String node,
      String agent,
      long bytes,
      long offsetMillis) {
    Instant time = START.plusMillis(offsetMillis);
    topic.pipeInput(customer, new UsageEvent(customer, node, agent, bytes, time), time);
  }

  private void alarm(String node, String kind, long offsetMillis) {
    alarm(alarms, node, kind, offsetMillis);
  }

  private static void alarm(
      TestInputTopic<String, NodeAlarm> topic, String node, String kind, long offsetMillis) {
    Instant time = START.plusMillis(offsetMillis);
    topic.pipeInput(node, new NodeAlarm(node, kind, time), time);
  }

  private static KeyValue<Instant, Usage> window(long startSecond, long bytes, long readings) {
    return KeyValue.pair(START.plusSeconds(startSecond), new Usage(bytes, readings));
  }

  private List<KeyValue<Instant, Usage>> windows(String table, String key) {
    sendPartials(driver);
    return windows(driver.driver().getTimestampedWindowStore(table), key);
  }

  private static List<KeyValue<Instant, Usage>> windows(
      JobTestDriver driver, ServingTable<String, Usage> table, String key) {
    sendPartials(driver);
    return windows(driver.windowStore(table), key);
  }

  /**
   * Lets every task send its partial totals, level by level up to the months: the tables that are
   * aggregated in two phases or rolled up take them at most every second of wall-clock time.
   */
  private static void sendPartials(JobTestDriver driver) {
    for (int level = 0; level < 5; level++) {
      driver.advanceWallClockTime(Duration.ofSeconds(1));
    }
  }

  /** The network's windows of {@code table} that start from {@code from} on, for 60 days. */
  private List<KeyValue<Instant, Usage>> windowsSince(
      ServingTable<String, Usage> table, Instant from) {
    sendPartials(driver);
    List<KeyValue<Instant, Usage>> windows = new ArrayList<>();
    try (WindowStoreIterator<ValueAndTimestamp<Usage>> iterator =
        driver
            .windowStore(table)
            .fetch(NetworkUsageJob.NETWORK, from, from.plus(Duration.ofDays(60)))) {
      iterator.forEachRemaining(
          kv -> windows.add(KeyValue.pair(Instant.ofEpochMilli(kv.key), kv.value.value())));
    }
    return windows;
  }

  private static List<KeyValue<Instant, Usage>> windows(
      WindowStore<String, ValueAndTimestamp<Usage>> store, String key) {
    List<KeyValue<Instant, Usage>> windows = new ArrayList<>();
    try (WindowStoreIterator<ValueAndTimestamp<Usage>> iterator =
        store.fetch(key, START.minus(Duration.ofHours(1)), START.plus(Duration.ofHours(1)))) {
      iterator.forEachRemaining(
          kv -> windows.add(KeyValue.pair(Instant.ofEpochMilli(kv.key), kv.value.value())));
    }
    return windows;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }
}
