package dev.kappa.examples.pagehits;

import dev.kappa.serde.Codec;
import dev.kappa.topology.JobStreamsBuilder;
import dev.kappa.topology.KappaJob;
import dev.kappa.topology.ServingTable;
import dev.kappa.topology.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;

/**
 * The page-hits job: web analytics over the pages a site shows its users.
 *
 * <ul>
 *   <li>Hits ({@link #PAGE_HITS}, keyed by user) without a page or a time, keyed by another user
 *       than their own, or that are not JSON go to the dead-letter topic {@code
 *       page-hits-dead-letters} with the reason.
 *   <li>{@link #VIEWS_BY_USER_PAGE}: the views of each page by each user since the start of the
 *       log, a key-value table with a composite key ({@link UserPage}).
 *   <li>{@link #VIEWS_BY_PAGE_HOUR}: the views of each page per hour (tumbling event-time windows,
 *       a hit up to 5 minutes late still counts), kept queryable for 7 days.
 *   <li>{@link #TOP_PAGES}: the {@value #TOP} most viewed pages of each hour, keyed by the start of
 *       the hour, ranked from the hourly counts and updated as they grow.
 * </ul>
 *
 * <p>The job has two versions with the same name, sources and tables: {@link #job()} (v1) counts
 * every valid hit; {@link #v2()} leaves out hits from known bots ({@link #isKnownBot}).
 *
 * <p>Run it in the Kappa service ({@link PageHitsVersions}), which starts v1 on a new registry:
 *
 * <pre>
 * KAPPA_BOOTSTRAP_SERVERS=localhost:9092 java -jar examples/target/kappa-service.jar
 * curl localhost:8080/jobs/page-hits/tables/top-pages/keys/2026-11-22T10:00:00Z
 * </pre>
 *
 * <p>{@code PageHitsJobTest} shows the tables of both versions for a hand-made input.
 */
public final class PageHitsJob {

  /** The job's name, the same in every version. */
  public static final String NAME = "page-hits";

  /** How many pages {@link #TOP_PAGES} ranks per hour. */
  public static final int TOP = 3;

  public static final Source<String, PageHit> PAGE_HITS =
      Source.of("page-hits", Codec.string(), Codec.json(PageHit.class))
          .withEventTime(PageHit::time);

  /** Views per (user, page) since the start of the log. */
  public static final ServingTable<UserPage, Long> VIEWS_BY_USER_PAGE =
      ServingTable.keyValue("views-by-user-page", Codec.json(UserPage.class), Codec.longs());

  /** Views per page and hour, kept for 7 days. */
  public static final ServingTable<String, Long> VIEWS_BY_PAGE_HOUR =
      ServingTable.windowed("views-by-page-hour", Codec.string(), Codec.longs())
          .withRetention(Duration.ofDays(7));

  /** The {@value #TOP} most viewed pages of each hour, by the start of the hour. */
  public static final ServingTable<Instant, TopPages> TOP_PAGES =
      ServingTable.keyValue("top-pages", Codec.json(Instant.class), Codec.json(TopPages.class));

  /** Tumbling hours; a hit up to 5 minutes late still counts. */
  public static final TimeWindows HOURS =
      TimeWindows.ofSizeAndGrace(Duration.ofHours(1), Duration.ofMinutes(5));

  /**
   * What marks a known bot in v2: a user agent that names itself a bot, crawler or spider, as
   * well-behaved crawlers do ({@code Googlebot/2.1}, {@code bingbot}, {@code Baiduspider}) ...
   */
  public static final List<String> BOT_AGENT_MARKERS = List.of("bot", "crawler", "spider");

  /** ... or a user id that the site gives its own monitoring robots. */
  public static final String BOT_USER_PREFIX = "bot-";

  private PageHitsJob() {}

  /** Version 1: counts every valid hit. */
  public static KappaJob job() {
    return definition(hits -> hits);
  }

  /**
   * Version 2, the change of logic: hits from known bots ({@link #isKnownBot}) are not views. Bots
   * inflate the counts of the pages they crawl and push them up the ranking; v2 counts people only.
   * Start it beside v1 to replay the log, and swap to it when it has caught up:
   *
   * <pre>
   * curl -X POST -H 'Authorization: Bearer ...' -H 'Content-Type: application/json' \
   *     -d '{"version": 2, "swapWhenCaughtUp": true}' localhost:8080/admin/jobs/page-hits/versions
   * </pre>
   */
  public static KappaJob v2() {
    return definition(
        hits -> hits.filterNot((user, hit) -> isKnownBot(hit), Named.as("hits-by-people")));
  }

  /** Whether a known bot, not a person, asked for the page. */
  public static boolean isKnownBot(PageHit hit) {
    if (hit.user() != null && hit.user().startsWith(BOT_USER_PREFIX)) {
      return true;
    }
    String agent = hit.userAgent() == null ? "" : hit.userAgent().toLowerCase(Locale.ROOT);
    return BOT_AGENT_MARKERS.stream().anyMatch(agent::contains);
  }

  private static KappaJob definition(UnaryOperator<KStream<String, PageHit>> counted) {
    return KappaJob.named(NAME)
        .source(PAGE_HITS)
        .servingTable(VIEWS_BY_USER_PAGE)
        .servingTable(VIEWS_BY_PAGE_HOUR)
        .servingTable(TOP_PAGES)
        .topology(builder -> define(builder, counted))
        .build();
  }

  private static void define(
      JobStreamsBuilder builder, UnaryOperator<KStream<String, PageHit>> counted) {
    Codec<PageHit> hitCodec = PAGE_HITS.values();

    // Bad hits leave here for the dead-letter topic, with the reason.
    KStream<String, PageHit> hits =
        counted.apply(
            builder.validate("valid-hits", builder.stream(PAGE_HITS), PageHitsJob::problem));

    // Hits arrive keyed by user; the (user, page) counts are keyed by the pair, so they go through
    // a repartition topic to the task that holds the pair. The hourly counts need another one, by
    // page: a pair and its page hash to different partitions.
    builder.aggregate(
        hits.groupBy(
            (user, hit) -> new UserPage(user, hit.page()),
            Grouped.with("hits-by-user-page", VIEWS_BY_USER_PAGE.keys().serde(), hitCodec.serde())),
        VIEWS_BY_USER_PAGE,
        () -> 0L,
        (pair, hit, views) -> views + 1);

    KTable<Windowed<String>, Long> hourly =
        builder.aggregate(
            hits.groupBy(
                (user, hit) -> hit.page(),
                Grouped.with("hits-by-page", Codec.string().serde(), hitCodec.serde())),
            HOURS,
            EmitStrategy.onWindowUpdate(),
            VIEWS_BY_PAGE_HOUR,
            () -> 0L,
            (page, hit, views) -> views + 1);

    // The ranking of an hour is a table aggregated from the hourly counts, re-grouped by hour:
    // every
    // count of that hour goes to the one task of the hour (counts, not hits, cross this topic).
    // When
    // a page's count grows, Kafka Streams sends its old count and its new one, and applies the
    // subtractor to the old before the adder to the new: the old count leaves the ranking and the
    // new one enters at its rank, so a page never appears twice and a page that overtakes another
    // pushes it out of the top. Why the top 3 alone suffice: see TopPages.
    builder.aggregate(
        hourly.groupBy(
            (window, views) ->
                KeyValue.pair(window.window().startTime(), new PageViews(window.key(), views)),
            Grouped.with(
                "page-views-by-hour",
                TOP_PAGES.keys().serde(),
                Codec.json(PageViews.class).serde())),
        TOP_PAGES,
        () -> TopPages.NONE,
        (hour, views, top) -> top.with(views, TOP),
        (hour, views, top) -> top.without(views));
  }

  /** Why a hit is invalid, or empty if it is valid. */
  public static Optional<String> problem(String key, PageHit hit) {
    if (isBlank(hit.user())) {
      return Optional.of("the user is missing");
    }
    if (!hit.user().equals(key)) {
      return Optional.of("the key '" + key + "' is not the hit's user '" + hit.user() + "'");
    }
    if (isBlank(hit.page())) {
      return Optional.of("the page is missing");
    }
    if (hit.time() == null) {
      return Optional.of("the time is missing");
    }
    return Optional.empty();
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
