package dev.kappa.examples.demo;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.kappa.examples.pagehits.PageHit;
import dev.kappa.examples.pagehits.PageHitsJob;
import dev.kappa.examples.pagehits.PageViews;
import dev.kappa.examples.pagehits.TopPages;
import dev.kappa.reprocessing.query.Answer;
import dev.kappa.reprocessing.query.KeyElsewhereException;
import dev.kappa.reprocessing.query.StoreNotReadyException;
import dev.kappa.serde.JsonSerde;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The page-hits job in the demo: a site's page views, most of them by people on a few popular
 * pages, {@value #BOT_PERCENT} % by known bots (crawlers that name themselves in their user agent,
 * most of them re-indexing {@value #CRAWLED}, and the site's uptime robot {@code bot-uptime} on the
 * home page), a few malformed. It prints the top pages of the current hour; after the swap, v2
 * (which leaves out bots) beside v1, where the crawled page drops out of the top.
 */
final class PageHitsWorkload implements DemoWorkload {

  /** The site's pages, most popular first: people choose them by Zipf's law. */
  static final List<String> PAGES =
      List.of(
          "/",
          "/pricing",
          "/docs",
          "/blog",
          "/signup",
          "/docs/quickstart",
          "/login",
          "/docs/api",
          "/blog/kappa-architecture",
          "/careers",
          "/about",
          "/contact");

  /** The page the crawlers re-index, which they push into v1's top pages. */
  static final String CRAWLED = "/docs/api";

  static final int BOT_PERCENT = 15;
  static final double MALFORMED_SHARE = 0.002;
  static final int USERS = 5_000;

  private static final List<String> BROWSERS =
      List.of(
          "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 Safari/605.1.15",
          "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36");
  private static final List<String> CRAWLERS =
      List.of(
          "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
          "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
          "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)");
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

  private final SplittableRandom random;
  private final JsonSerde<PageHit> hits = JsonSerde.of(PageHit.class);
  private final double[] cumulative = new double[PAGES.size()];

  PageHitsWorkload(DemoOptions options) {
    this.random = new SplittableRandom(options.seed);
    double sum = 0;
    for (int i = 0; i < PAGES.size(); i++) {
      sum += 1.0 / (i + 1);
      cumulative[i] = sum;
    }
    for (int i = 0; i < PAGES.size(); i++) {
      cumulative[i] /= sum;
    }
  }

  @Override
  public String job() {
    return PageHitsJob.NAME;
  }

  @Override
  public List<String> sourceTopics() {
    return List.of(PageHitsJob.PAGE_HITS.topic());
  }

  @Override
  public String describeRate(int rate) {
    return rate + " page hits/s of " + USERS + " users, " + BOT_PERCENT + " % from known bots";
  }

  @Override
  public List<ProducerRecord<String, byte[]>> next(Instant clock) {
    // A browser's hit reaches the log a moment after the page was shown.
    Instant time = clock.minusMillis(random.nextInt(2_000));
    PageHit hit;
    if (random.nextInt(100) < BOT_PERCENT) {
      if (random.nextInt(5) == 0) {
        hit = new PageHit("bot-uptime", "/", "kappa-uptime-check/1.0", time);
      } else {
        String page = random.nextInt(4) != 0 ? CRAWLED : PAGES.get(random.nextInt(PAGES.size()));
        String agent = CRAWLERS.get(random.nextInt(CRAWLERS.size()));
        hit = new PageHit("anon-" + random.nextInt(1_000), page, agent, time);
      }
    } else {
      hit =
          new PageHit(
              String.format("u-%05d", random.nextInt(USERS)),
              popularPage(),
              BROWSERS.get(random.nextInt(BROWSERS.size())),
              time);
    }
    if (random.nextDouble() < MALFORMED_SHARE) {
      return List.of(malformed(hit, clock));
    }
    return List.of(record(hit.user(), hits.serialize("", hit), time));
  }

  private String popularPage() {
    double pick = random.nextDouble();
    for (int i = 0; i < cumulative.length; i++) {
      if (pick < cumulative[i]) {
        return PAGES.get(i);
      }
    }
    return PAGES.get(PAGES.size() - 1);
  }

  private ProducerRecord<String, byte[]> malformed(PageHit hit, Instant clock) {
    String user = hit.user();
    byte[] value =
        switch (random.nextInt(4)) {
          case 0 -> ("{\"user\":\"" + user + "\",\"page\":").getBytes(UTF_8);
          case 1 -> hits.serialize("", new PageHit(user, null, hit.userAgent(), hit.time()));
          case 2 -> hits.serialize("", new PageHit(user, hit.page(), hit.userAgent(), null));
          default -> hits.serialize("", new PageHit("u-99999", hit.page(), null, hit.time()));
        };
    return record(user, value, clock);
  }

  private static ProducerRecord<String, byte[]> record(String key, byte[] value, Instant time) {
    return new ProducerRecord<>(
        PageHitsJob.PAGE_HITS.topic(), null, time.toEpochMilli(), key, value);
  }

  @Override
  public void printTables(DemoServices services, PrintStream out, boolean besideV1) {
    Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
    try {
      Answer<Optional<TopPages>> top =
          services.query(
              queries -> queries.table(PageHitsJob.NAME, PageHitsJob.TOP_PAGES).get(hour));
      List<PageViews> v1 = besideV1 ? topInV1(services, hour) : List.of();
      out.printf(
          "top pages of %s-%s UTC, from %s%s%n",
          TIME.format(hour),
          TIME.format(hour.plus(Duration.ofHours(1))),
          top.version(),
          besideV1 ? ", beside v1's until it is retired" : "");
      List<PageViews> pages = top.value().map(TopPages::pages).orElse(List.of());
      for (int rank = 0; rank < Math.max(pages.size(), v1.size()); rank++) {
        out.printf(
            "  %d. %s%s%n",
            rank + 1,
            rank < pages.size() ? views(pages.get(rank)) : String.format("%-34s", ""),
            rank < v1.size() ? "   v1: " + views(v1.get(rank)) : "");
      }
    } catch (StoreNotReadyException | KeyElsewhereException e) {
      out.println("no answers yet: " + e.getMessage());
    }
  }

  private static List<PageViews> topInV1(DemoServices services, Instant hour) {
    try {
      return services
          .query(
              queries ->
                  queries.table(PageHitsJob.NAME, PageHitsJob.TOP_PAGES).inVersion(1).get(hour))
          .value()
          .map(TopPages::pages)
          .orElse(List.of());
    } catch (StoreNotReadyException | KeyElsewhereException e) {
      // v1 is stopping, or moving between the instances: its column stays empty.
      return List.of();
    }
  }

  private static String views(PageViews views) {
    return String.format("%-26s %,7d views", views.page(), views.views());
  }

  @Override
  public List<DemoUrls.Url> urls(String a, String b) {
    String tables = "/jobs/" + PageHitsJob.NAME + "/tables/";
    Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
    return List.of(
        new DemoUrls.Url(
            "top pages, this hour", a + tables + PageHitsJob.TOP_PAGES.name() + "/keys/" + hour),
        new DemoUrls.Url(
            "/pricing by hour, today",
            b
                + tables
                + PageHitsJob.VIEWS_BY_PAGE_HOUR.name()
                + "/keys/%2Fpricing/windows?from="
                + hour.truncatedTo(ChronoUnit.DAYS)
                + "&to="
                + hour),
        new DemoUrls.Url(
            "every page's hours",
            a + tables + PageHitsJob.VIEWS_BY_PAGE_HOUR.name() + "/windows?limit=20"),
        new DemoUrls.Url(
            "one user's views of /",
            a
                + tables
                + PageHitsJob.VIEWS_BY_USER_PAGE.name()
                + "/keys/%7B%22user%22%3A%22u-00001%22%2C%22page%22%3A%22%2F%22%7D"));
  }
}
