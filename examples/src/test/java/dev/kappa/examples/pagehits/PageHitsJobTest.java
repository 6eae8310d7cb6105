package dev.kappa.examples.pagehits;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kappa.topology.deadletter.DeadLetter;
import dev.kappa.topology.testing.JobTestDriver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The page-hits job on hand-made input. Times are offsets from {@link #START} (10:00:00). */
class PageHitsJobTest {

  private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
  private static final Instant ELEVEN = START.plus(Duration.ofHours(1));
  private static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Firefox/140.0";
  private static final String GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1)";

  private JobTestDriver driver;
  private TestInputTopic<String, PageHit> hits;

  @BeforeEach
  void start() {
    driver = JobTestDriver.of(PageHitsJob.job(), START);
    hits = driver.input(PageHitsJob.PAGE_HITS);
  }

  @AfterEach
  void close() {
    driver.close();
  }

  @Test
  void shouldCountViewsPerUserAndPageSinceTheStartAcrossHours() {
    hit("ada", "/home", 5);
    hit("ada", "/home", 20);
    hit("ada", "/docs", 30);
    hit("grace", "/home", 40);
    hit("ada", "/home", 65); // 11:05, the next hour

    assertThat(rows(driver, PageHitsJob.VIEWS_BY_USER_PAGE))
        .containsExactly(
            KeyValue.pair(new UserPage("ada", "/docs"), 1L),
            KeyValue.pair(new UserPage("ada", "/home"), 3L),
            KeyValue.pair(new UserPage("grace", "/home"), 1L));
    assertThat(views(driver, new UserPage("linus", "/home"))).isNull();
  }

  @Test
  void shouldCountViewsPerPageInEachHourAndCountALateHitWithinTheGrace() {
    //        hour 10:00-11:00                        hour 11:00-12:00
    // /home  10:05, 10:59:59.999                     11:00, 11:02
    // /docs  10:30, 10:45 (sent at stream time 11:02)
    // The hour 10:00 closes at 11:05 (5 min grace): /docs at 10:50, sent at 11:06, is dropped.
    hit("ada", "/home", START.plusSeconds(5 * 60));
    hit("ada", "/docs", START.plusSeconds(30 * 60));
    hit("grace", "/home", ELEVEN.minusMillis(1));
    hit("grace", "/home", ELEVEN);
    hit("linus", "/home", ELEVEN.plusSeconds(2 * 60));
    hit("linus", "/docs", START.plusSeconds(45 * 60)); // stream time 11:02, within the grace
    hit("linus", "/pricing", ELEVEN.plusSeconds(6 * 60)); // stream time 11:06: 10:00 closes
    hit("ada", "/docs", START.plusSeconds(50 * 60)); // too late

    assertThat(hours(driver, "/home")).containsExactly(hour(START, 2), hour(ELEVEN, 2));
    assertThat(hours(driver, "/docs")).containsExactly(hour(START, 2));
    assertThat(driver.droppedRecords()).isEqualTo(1);
    // The (user, page) counts have no window: the late hit counts there.
    assertThat(views(driver, new UserPage("ada", "/docs"))).isEqualTo(2);
  }

  @Test
  void shouldRankTheThreeMostViewedPagesOfEachHourWithTiesByPage() {
    hits("/a", 3, 0);
    hits("/b", 2, 10);
    hits("/d", 1, 20);
    hits("/c", 2, 30); // ties with /b: /b ranks first; /d drops out of the top
    hits("/e", 1, 70); // 11:10

    assertThat(top(driver, START)).containsExactly(views("/a", 3), views("/b", 2), views("/c", 2));
    assertThat(top(driver, ELEVEN)).containsExactly(views("/e", 1));
    assertThat(top(driver, START.minus(Duration.ofHours(1)))).isNull();
  }

  @Test
  void shouldMoveAPageUpTheRankingAsItsCountGrowsWithoutListingItTwice() {
    hits("/a", 3, 0);
    hits("/b", 2, 10);
    hits("/c", 2, 20);
    hits("/d", 1, 30);
    assertThat(top(driver, START)).containsExactly(views("/a", 3), views("/b", 2), views("/c", 2));

    // /d climbs from outside the top past everyone: /c (the last of the top) drops out.
    hits("/d", 3, 40);
    assertThat(top(driver, START)).containsExactly(views("/d", 4), views("/a", 3), views("/b", 2));

    // /a grows inside the top: its old count 3 is taken out, its new count 5 put in.
    hits("/a", 2, 50);
    assertThat(top(driver, START)).containsExactly(views("/a", 5), views("/d", 4), views("/b", 2));
    assertThat(hours(driver, "/c")).containsExactly(hour(START, 2));
  }

  @Test
  void shouldSendInvalidHitsToTheDeadLetterTopicWithTheReason() {
    TestInputTopic<byte[], byte[]> raw = driver.rawInput(PageHitsJob.PAGE_HITS);
    raw.pipeInput(bytes("ada"), bytes("{\"user\":\"ada\",\"page\":"), START);
    hit("ada", " ", 1);
    hits.pipeInput("ada", new PageHit("ada", "/home", FIREFOX, null), START);
    hits.pipeInput("ada", new PageHit("grace", "/home", FIREFOX, START), START);
    hit("ada", "/home", 2);

    List<DeadLetter> letters = driver.deadLetters();

    assertThat(letters)
        .extracting(DeadLetter::message)
        .containsExactly(
            "Cannot read a PageHit from topic 'page-hits': Unexpected end-of-input within/between"
                + " Object entries at line 1, column 22",
            "Record rejected by 'valid-hits': the page is missing",
            "Record rejected by 'valid-hits': the time is missing",
            "Record rejected by 'valid-hits': the key 'ada' is not the hit's user 'grace'");
    assertThat(letters).extracting(DeadLetter::sourceTopic).containsOnly("page-hits");
    assertThat(rows(driver, PageHitsJob.VIEWS_BY_USER_PAGE))
        .containsExactly(KeyValue.pair(new UserPage("ada", "/home"), 1L));
  }

  @Test
  void shouldLeaveOutKnownBotsInV2() {
    // ada and grace are people; bot-7 is the site's monitor; linus's agent says it is a crawler.
    try (JobTestDriver v2 = JobTestDriver.of(PageHitsJob.v2(), START)) {
      for (JobTestDriver each : List.of(driver, v2)) {
        TestInputTopic<String, PageHit> input = each.input(PageHitsJob.PAGE_HITS);
        hit(input, "ada", "/home", FIREFOX, START.plusSeconds(5 * 60));
        hit(input, "bot-7", "/status", null, START.plusSeconds(10 * 60));
        hit(input, "bot-7", "/status", null, START.plusSeconds(11 * 60));
        hit(input, "linus", "/docs", GOOGLEBOT, START.plusSeconds(12 * 60));
        hit(input, "linus", "/docs", "Baiduspider", START.plusSeconds(13 * 60));
        hit(input, "grace", "/docs", FIREFOX, START.plusSeconds(20 * 60));
        hit(input, "grace", "/home", null, START.plusSeconds(30 * 60));
      }

      // v1 counts every hit: the bots' pages lead the ranking
      assertThat(top(driver, START))
          .containsExactly(views("/docs", 3), views("/home", 2), views("/status", 2));
      assertThat(views(driver, new UserPage("linus", "/docs"))).isEqualTo(2);
      // v2 counts people only
      assertThat(top(v2, START)).containsExactly(views("/home", 2), views("/docs", 1));
      assertThat(rows(v2, PageHitsJob.VIEWS_BY_USER_PAGE))
          .containsExactly(
              KeyValue.pair(new UserPage("ada", "/home"), 1L),
              KeyValue.pair(new UserPage("grace", "/docs"), 1L),
              KeyValue.pair(new UserPage("grace", "/home"), 1L));
      assertThat(hours(v2, "/status")).isEmpty();
      assertThat(v2.deadLetters()).isEmpty();
    }
  }

  @Test
  void shouldBuildBothVersionsUnderTheSameJobAndTableNames() {
    assertThat(PageHitsJob.v2().name()).isEqualTo(PageHitsJob.job().name());
    assertThat(PageHitsJob.v2().servingTables())
        .containsExactlyElementsOf(PageHitsJob.job().servingTables());
  }

  /** {@code count} hits on {@code page} by different users, at {@code minute} past 10:00. */
  private void hits(String page, int count, int minute) {
    for (int i = 0; i < count; i++) {
      hit("user-" + minute + "-" + i, page, START.plusSeconds(minute * 60L + i));
    }
  }

  private void hit(String user, String page, int minute) {
    hit(user, page, START.plusSeconds(minute * 60L));
  }

  private void hit(String user, String page, Instant time) {
    hit(hits, user, page, FIREFOX, time);
  }

  private static void hit(
      TestInputTopic<String, PageHit> topic, String user, String page, String agent, Instant time) {
    topic.pipeInput(user, new PageHit(user, page, agent, time), time);
  }

  private static PageViews views(String page, long views) {
    return new PageViews(page, views);
  }

  private static Long views(JobTestDriver driver, UserPage key) {
    ValueAndTimestamp<Long> views = driver.keyValueStore(PageHitsJob.VIEWS_BY_USER_PAGE).get(key);
    return views == null ? null : views.value();
  }

  private static List<PageViews> top(JobTestDriver driver, Instant hour) {
    ValueAndTimestamp<TopPages> top = driver.keyValueStore(PageHitsJob.TOP_PAGES).get(hour);
    return top == null ? null : top.value().pages();
  }

  private static KeyValue<Instant, Long> hour(Instant start, long views) {
    return KeyValue.pair(start, views);
  }

  private static List<KeyValue<Instant, Long>> hours(JobTestDriver driver, String page) {
    List<KeyValue<Instant, Long>> hours = new ArrayList<>();
    try (WindowStoreIterator<ValueAndTimestamp<Long>> iterator =
        driver
            .windowStore(PageHitsJob.VIEWS_BY_PAGE_HOUR)
            .fetch(page, START.minus(Duration.ofHours(1)), START.plus(Duration.ofHours(3)))) {
      iterator.forEachRemaining(
          kv -> hours.add(KeyValue.pair(Instant.ofEpochMilli(kv.key), kv.value.value())));
    }
    return hours;
  }

  private static <K, V> List<KeyValue<K, V>> rows(
      JobTestDriver driver, dev.kappa.topology.ServingTable<K, V> table) {
    List<KeyValue<K, V>> rows = new ArrayList<>();
    try (KeyValueIterator<K, ValueAndTimestamp<V>> all = driver.keyValueStore(table).all()) {
      all.forEachRemaining(row -> rows.add(KeyValue.pair(row.key, row.value.value())));
    }
    rows.sort((left, right) -> String.valueOf(left.key).compareTo(String.valueOf(right.key)));
    return rows;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }
}
