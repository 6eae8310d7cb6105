package dev.kappa.examples.pagehits;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kappa.embedded.EmbeddedKafkaExtension;
import dev.kappa.topology.runtime.JobConfig;
import dev.kappa.topology.runtime.RunningJob;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page-hits job on a real broker under exactly-once: 3,000 generated hits over 40 minutes that
 * cross an hour, on three partitions, and every table compared with what this test computes from
 * the same hits.
 */
class PageHitsJobIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final Instant START = Instant.parse("2026-11-22T10:40:00Z");
  private static final int HITS = 3_000;
  private static final Duration STEP = Duration.ofMillis(800);
  private static final int MALFORMED = HITS / 250 + 1;
  private static final int BATCH = 200;
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @TempDir Path stateDir;

  @Test
  void shouldServeExactlyTheCountsAndRankingsOfTheHitsAndDeadLetterTheMalformed() {
    kafka.get().createTopic(PageHitsJob.PAGE_HITS.topic(), 3, Map.of("retention.ms", "-1"));
    List<PageHit> hits = generate();

    try (RunningJob job =
        RunningJob.start(
            PageHitsJob.job().topology(),
            JobConfig.builder(kafka.bootstrapServers()).stateDirectory(stateDir).build())) {
      job.awaitRunning(TIMEOUT);
      produceLive(job, hits);

      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(500))
          .ignoreException(InvalidStateStoreException.class)
          .untilAsserted(
              () -> {
                assertThat(viewsByUserPage(job.streams())).isEqualTo(expectedViewsByUserPage(hits));
                assertThat(viewsByPageHour(job.streams())).isEqualTo(expectedViewsByPageHour(hits));
                assertThat(topPages(job.streams())).isEqualTo(expectedTopPages(hits));
                assertThat(job.deadLetters().total()).isEqualTo(MALFORMED);
              });
      // Dead letters count as dropped; nothing else was, so no hit came too late for its hour.
      assertThat(job.droppedRecords()).isEqualTo(MALFORMED);
    }
  }

  /** Hits in time order: 30 users, 8 pages of falling popularity, a bot now and then. */
  private static List<PageHit> generate() {
    Random random = new Random(15);
    List<PageHit> hits = new ArrayList<>();
    for (int i = 0; i < HITS; i++) {
      String user = "u-%02d".formatted(random.nextInt(30));
      // the square of a uniform number favours the first pages
      String page = "/p-" + (int) (8 * Math.pow(random.nextDouble(), 2));
      String agent = random.nextInt(20) == 0 ? "Googlebot/2.1" : "Mozilla/5.0";
      hits.add(new PageHit(user, page, agent, START.plus(STEP.multipliedBy(i))));
    }
    return hits;
  }

  /**
   * Produces the hits in time order while the job runs, never more than {@link #BATCH} ahead of
   * what it has committed (160 s of event time, within the 5 minutes of grace): live processing,
   * not a backlog read at full speed. A hit without a page follows every 250th hit, and one record
   * that is not JSON comes halfway.
   */
  private static void produceLive(RunningJob job, List<PageHit> hits) {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            5);
    String topic = PageHitsJob.PAGE_HITS.topic();
    Serializer<PageHit> json = PageHitsJob.PAGE_HITS.values().serde().serializer();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < hits.size(); i++) {
        PageHit hit = hits.get(i);
        producer.send(new ProducerRecord<>(topic, hit.user(), json.serialize(topic, hit)));
        if ((i + 1) % 250 == 0) {
          PageHit noPage = new PageHit(hit.user(), null, null, hit.time());
          producer.send(new ProducerRecord<>(topic, hit.user(), json.serialize(topic, noPage)));
        }
        if (i == hits.size() / 2) {
          producer.send(new ProducerRecord<>(topic, hit.user(), "{\"user\":".getBytes(UTF_8)));
        }
        if ((i + 1) % BATCH == 0) {
          producer.flush();
          long behind = i + 1 - BATCH;
          await().atMost(TIMEOUT).until(() -> job.committedPosition(topic) >= behind);
        }
      }
    }
  }

  private static Map<UserPage, Long> expectedViewsByUserPage(List<PageHit> hits) {
    Map<UserPage, Long> views = new TreeMap<>();
    hits.forEach(hit -> views.merge(new UserPage(hit.user(), hit.page()), 1L, Long::sum));
    return views;
  }

  private static Map<String, Map<Instant, Long>> expectedViewsByPageHour(List<PageHit> hits) {
    Map<String, Map<Instant, Long>> views = new TreeMap<>();
    for (PageHit hit : hits) {
      views
          .computeIfAbsent(hit.page(), page -> new TreeMap<>())
          .merge(hit.time().truncatedTo(ChronoUnit.HOURS), 1L, Long::sum);
    }
    return views;
  }

  private static Map<Instant, List<PageViews>> expectedTopPages(List<PageHit> hits) {
    Map<Instant, List<PageViews>> top = new TreeMap<>();
    expectedViewsByPageHour(hits)
        .forEach(
            (page, hours) ->
                hours.forEach(
                    (hour, views) ->
                        top.computeIfAbsent(hour, h -> new ArrayList<>())
                            .add(new PageViews(page, views))));
    top.replaceAll(
        (hour, pages) -> pages.stream().sorted(PageViews.RANKING).limit(PageHitsJob.TOP).toList());
    return top;
  }

  private static Map<UserPage, Long> viewsByUserPage(KafkaStreams streams) {
    ReadOnlyKeyValueStore<UserPage, Long> store =
        streams.store(
            StoreQueryParameters.fromNameAndType(
                PageHitsJob.VIEWS_BY_USER_PAGE.name(), QueryableStoreTypes.keyValueStore()));
    return rows(store);
  }

  private static Map<Instant, List<PageViews>> topPages(KafkaStreams streams) {
    ReadOnlyKeyValueStore<Instant, TopPages> store =
        streams.store(
            StoreQueryParameters.fromNameAndType(
                PageHitsJob.TOP_PAGES.name(), QueryableStoreTypes.keyValueStore()));
    Map<Instant, List<PageViews>> top = new TreeMap<>();
    rows(store).forEach((hour, pages) -> top.put(hour, pages.pages()));
    return top;
  }

  private static <K, V> Map<K, V> rows(ReadOnlyKeyValueStore<K, V> store) {
    Map<K, V> rows = new TreeMap<>();
    try (KeyValueIterator<K, V> all = store.all()) {
      all.forEachRemaining((KeyValue<K, V> row) -> rows.put(row.key, row.value));
    }
    return rows;
  }

  private static Map<String, Map<Instant, Long>> viewsByPageHour(KafkaStreams streams) {
    ReadOnlyWindowStore<String, Long> store =
        streams.store(
            StoreQueryParameters.fromNameAndType(
                PageHitsJob.VIEWS_BY_PAGE_HOUR.name(), QueryableStoreTypes.windowStore()));
    Map<String, Map<Instant, Long>> views = new TreeMap<>();
    try (KeyValueIterator<Windowed<String>, Long> all =
        store.fetchAll(START.minus(Duration.ofHours(2)), START.plus(Duration.ofHours(2)))) {
      all.forEachRemaining(
          window ->
              views
                  .computeIfAbsent(window.key.key(), page -> new TreeMap<>())
                  .put(window.key.window().startTime(), window.value));
    }
    return views;
  }
}
