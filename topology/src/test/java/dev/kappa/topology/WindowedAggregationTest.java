package dev.kappa.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kappa.serde.Codec;
import dev.kappa.topology.testing.JobTestDriver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.SlidingWindows;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Windowed aggregation through {@link JobStreamsBuilder#aggregate}: a sum of amounts per key. Times
 * are offsets from {@link #START} (10:00:00), in seconds unless said otherwise.
 */
class WindowedAggregationTest {

  private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Duration GRACE = Duration.ofSeconds(30);

  private static final Source<String, Long> AMOUNTS =
      Source.of("amounts", Codec.string(), Codec.longs());
  private static final ServingTable<String, Long> TOTALS =
      ServingTable.windowed("totals", Codec.string(), Codec.longs());
  private static final ServingTable<String, Long> SESSIONS =
      ServingTable.session("sessions", Codec.string(), Codec.longs());
  private static final Sink<String, Long> CHANGES =
      Sink.of("total-changes", Codec.string(), Codec.longs());

  private JobTestDriver driver;

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  @Test
  void shouldPutARecordAtTheEndOfAWindowIntoTheNextWindow() {
    TestInputTopic<String, Long> amounts = start(tumbling(EmitStrategy.onWindowUpdate()));

    // window [0, 60): 1 + 2      window [60, 120): 4
    amounts.pipeInput("a", 1L, START);
    amounts.pipeInput("a", 2L, START.plusMillis(59_999));
    amounts.pipeInput("a", 4L, START.plusSeconds(60));

    assertThat(windows("a"))
        .containsExactly(KeyValue.pair(START, 3L), KeyValue.pair(START.plusSeconds(60), 4L));
  }

  @Test
  void shouldCountOutOfOrderRecordsThatArriveWithinTheGracePeriod() {
    TestInputTopic<String, Long> amounts = start(tumbling(EmitStrategy.onWindowUpdate()));

    // stream time 89.999: window [0, 60) closes at 60 + 30 grace = 90, so a record at 50 still
    // counts
    amounts.pipeInput("a", 1L, START.plusSeconds(10));
    amounts.pipeInput("a", 10L, START.plusMillis(89_999));
    amounts.pipeInput("a", 100L, START.plusSeconds(50));

    assertThat(windows("a"))
        .containsExactly(KeyValue.pair(START, 101L), KeyValue.pair(START.plusSeconds(60), 10L));
    assertThat(driver.droppedRecords()).isZero();
  }

  @Test
  void shouldDropAndCountRecordsThatArriveAfterTheGracePeriod() {
    TestInputTopic<String, Long> amounts = start(tumbling(EmitStrategy.onWindowUpdate()));

    // stream time 90: window [0, 60) has closed (60 + 30 grace <= 90), so a record at 50 is late
    amounts.pipeInput("a", 1L, START.plusSeconds(10));
    amounts.pipeInput("a", 10L, START.plusSeconds(90));
    amounts.pipeInput("a", 100L, START.plusSeconds(50));

    assertThat(windows("a"))
        .containsExactly(KeyValue.pair(START, 1L), KeyValue.pair(START.plusSeconds(60), 10L));
    assertThat(driver.droppedRecords()).isEqualTo(1);
    assertThat(driver.deadLetterCount()).isZero();
  }

  @Test
  void shouldEmitEveryUpdateOfAWindow() {
    TestInputTopic<String, Long> amounts = start(tumbling(EmitStrategy.onWindowUpdate()));

    amounts.pipeInput("a", 1L, START);
    amounts.pipeInput("a", 2L, START.plusSeconds(1));
    amounts.pipeInput("b", 5L, START.plusSeconds(2));

    assertThat(driver.output(CHANGES).readKeyValuesToList())
        .containsExactly(
            KeyValue.pair("a@" + START, 1L),
            KeyValue.pair("a@" + START, 3L),
            KeyValue.pair("b@" + START, 5L));
  }

  @Test
  void shouldEmitOnlyTheFinalResultOfEachWindowOnceItCloses() {
    TestInputTopic<String, Long> amounts = start(tumbling(EmitStrategy.onWindowClose()));

    // window [0, 60) of "a": 1 + 2 + 4, closed when stream time reaches 90
    amounts.pipeInput("a", 1L, START);
    amounts.pipeInput("a", 2L, START.plusSeconds(30));
    amounts.pipeInput("a", 4L, START.plusSeconds(70));
    amounts.pipeInput("b", 1L, START.plusMillis(89_999));
    assertThat(driver.output(CHANGES).readKeyValuesToList()).isEmpty();

    amounts.pipeInput("b", 1L, START.plusSeconds(90));

    assertThat(driver.output(CHANGES).readKeyValuesToList())
        .containsExactly(KeyValue.pair("a@" + START, 3L));
    // The serving table itself always holds the latest value of open windows too.
    assertThat(windows("a"))
        .containsExactly(KeyValue.pair(START, 3L), KeyValue.pair(START.plusSeconds(60), 4L));
  }

  @Test
  void shouldCountARecordInEveryHoppingWindowThatContainsIt() {
    TimeWindows hopping =
        TimeWindows.ofSizeAndGrace(MINUTE, GRACE).advanceBy(Duration.ofSeconds(30));
    TestInputTopic<String, Long> amounts =
        start(
            job(
                b ->
                    b.aggregate(
                        byKey(b),
                        hopping,
                        EmitStrategy.onWindowUpdate(),
                        TOTALS,
                        () -> 0L,
                        WindowedAggregationTest::sum)));

    // windows [-30, 30), [0, 60) and [30, 90): a record at 45 is in the last two
    amounts.pipeInput("a", 1L, START.plusSeconds(10));
    amounts.pipeInput("a", 10L, START.plusSeconds(45));

    assertThat(windows("a"))
        .containsExactly(
            KeyValue.pair(START.minusSeconds(30), 1L),
            KeyValue.pair(START, 11L),
            KeyValue.pair(START.plusSeconds(30), 10L));
  }

  @Test
  void shouldSumTheRecordsWithinTheTimeDifferenceOfASlidingWindow() {
    SlidingWindows sliding = SlidingWindows.ofTimeDifferenceAndGrace(Duration.ofSeconds(10), GRACE);
    TestInputTopic<String, Long> amounts =
        start(
            job(
                b ->
                    b.aggregate(
                        byKey(b),
                        sliding,
                        EmitStrategy.onWindowUpdate(),
                        TOTALS,
                        () -> 0L,
                        WindowedAggregationTest::sum)));

    // windows end at each record: [-10, 0] holds 1; [-5, 5] holds 1 + 10; [0.001, 10.001] holds 10
    amounts.pipeInput("a", 1L, START);
    amounts.pipeInput("a", 10L, START.plusSeconds(5));

    assertThat(windows("a"))
        .containsExactlyInAnyOrder(
            KeyValue.pair(START.minusSeconds(10), 1L),
            KeyValue.pair(START.minusSeconds(5), 11L),
            KeyValue.pair(START.plusMillis(1), 10L));
  }

  @Test
  void shouldMergeSessionsThatARecordBridges() {
    SessionWindows sessions = SessionWindows.ofInactivityGapAndGrace(Duration.ofMinutes(5), GRACE);
    TestInputTopic<String, Long> amounts =
        start(
            job(
                SESSIONS,
                b ->
                    b.aggregate(
                        byKey(b),
                        sessions,
                        EmitStrategy.onWindowUpdate(),
                        SESSIONS,
                        () -> 0L,
                        WindowedAggregationTest::sum,
                        (key, left, right) -> left + right)));

    // sessions [0, 180] and [600, 600]; a record at 390 is within 5 min of both, and joins them
    amounts.pipeInput("a", 1L, START);
    amounts.pipeInput("a", 2L, START.plusSeconds(180));
    amounts.pipeInput("a", 4L, START.plusSeconds(600));
    assertThat(sessions("a"))
        .containsExactly(KeyValue.pair(START, 3L), KeyValue.pair(START.plusSeconds(600), 4L));

    amounts.pipeInput("a", 8L, START.plusSeconds(390));

    assertThat(sessions("a")).containsExactly(KeyValue.pair(START, 15L));
  }

  @Test
  void shouldKeepWindowsForTheRetentionOfTheServingTable() {
    ServingTable<String, Long> kept = TOTALS.withRetention(Duration.ofHours(1));
    JobTopology topology =
        job(
                kept,
                b ->
                    b.aggregate(
                        byKey(b),
                        TimeWindows.ofSizeAndGrace(MINUTE, GRACE),
                        EmitStrategy.onWindowUpdate(),
                        kept,
                        () -> 0L,
                        WindowedAggregationTest::sum))
            .topology();

    assertThat(topology.servedTable("totals"))
        .hasValueSatisfying(
            served -> {
              assertThat(served.windowSize()).isEqualTo(MINUTE);
              assertThat(served.retention()).isEqualTo(Duration.ofHours(1));
            });
    assertThat(
            tumbling(EmitStrategy.onWindowUpdate())
                .topology()
                .servedTable("totals")
                .orElseThrow()
                .retention())
        .isEqualTo(Duration.ofSeconds(90));
  }

  /** A tumbling-window job that also writes each change of the table to {@link #CHANGES}. */
  private static KappaJob tumbling(EmitStrategy emit) {
    return KappaJob.named("sums")
        .source(AMOUNTS)
        .sink(CHANGES)
        .servingTable(TOTALS)
        .topology(
            b -> {
              KTable<Windowed<String>, Long> totals =
                  b.aggregate(
                      byKey(b),
                      TimeWindows.ofSizeAndGrace(MINUTE, GRACE),
                      emit,
                      TOTALS,
                      () -> 0L,
                      WindowedAggregationTest::sum);
              b.to(
                  totals
                      .toStream(Named.as("totals-changes"))
                      .map(
                          (window, total) ->
                              KeyValue.pair(
                                  window.key() + "@" + window.window().startTime(), total),
                          Named.as("totals-by-window")),
                  CHANGES);
            })
        .build();
  }

  private static KappaJob job(Consumer<JobStreamsBuilder> definition) {
    return job(TOTALS, definition);
  }

  private static KappaJob job(
      ServingTable<String, Long> table, Consumer<JobStreamsBuilder> definition) {
    return KappaJob.named("sums")
        .source(AMOUNTS)
        .servingTable(table)
        .topology(definition::accept)
        .build();
  }

  private static KGroupedStream<String, Long> byKey(JobStreamsBuilder builder) {
    return builder.stream(AMOUNTS).groupByKey(Grouped.as("amounts-by-key"));
  }

  private static Long sum(String key, Long amount, Long total) {
    return total + amount;
  }

  private TestInputTopic<String, Long> start(KappaJob job) {
    driver = JobTestDriver.of(job, START);
    return driver.input(AMOUNTS);
  }

  private List<KeyValue<Instant, Long>> windows(String key) {
    WindowStore<String, ValueAndTimestamp<Long>> store = driver.windowStore(TOTALS);
    try (WindowStoreIterator<ValueAndTimestamp<Long>> iterator =
        store.fetch(key, START.minus(Duration.ofHours(1)), START.plus(Duration.ofHours(1)))) {
      List<KeyValue<Instant, Long>> windows = new ArrayList<>();
      iterator.forEachRemaining(
          kv -> windows.add(KeyValue.pair(Instant.ofEpochMilli(kv.key), kv.value.value())));
      return windows;
    }
  }

  private List<KeyValue<Instant, Long>> sessions(String key) {
    SessionStore<String, Long> store = driver.sessionStore(SESSIONS);
    // A bounded range: an unbounded fetch(key) walks every cache segment since the epoch.
    try (KeyValueIterator<Windowed<String>, Long> iterator =
        store.findSessions(
            key,
            START.minus(Duration.ofHours(1)).toEpochMilli(),
            START.plus(Duration.ofHours(1)).toEpochMilli())) {
      List<KeyValue<Instant, Long>> sessions = new ArrayList<>();
      iterator.forEachRemaining(
          kv -> sessions.add(KeyValue.pair(kv.key.window().startTime(), kv.value)));
      return sessions;
    }
  }
}
