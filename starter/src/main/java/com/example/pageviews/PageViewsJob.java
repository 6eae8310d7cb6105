package com.example.pageviews;

import dev.kappa.serde.Codec;
import dev.kappa.topology.JobStreamsBuilder;
import dev.kappa.topology.KappaJob;
import dev.kappa.topology.ServingTable;
import dev.kappa.topology.Source;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.TimeWindows;

/** Views per page and minute, in two versions: v2 leaves out the views of crawlers. */
public final class PageViewsJob {

  public static final String NAME = "page-views";

  // tag::parts[]
  /** What the job reads: page views keyed by user, timed by when the page was shown. */
  public static final Source<String, PageView> PAGE_VIEWS =
      Source.of("page-views", Codec.string(), Codec.json(PageView.class))
          .withEventTime(PageView::time);

  /** What it serves: views per page in 1-minute windows, queryable for a day. */
  public static final ServingTable<String, Views> VIEWS_BY_PAGE =
      ServingTable.windowed("views-by-page", Codec.string(), Codec.json(Views.class))
          .withRetention(Duration.ofDays(1));

  /** A view up to 30 s late still counts. */
  static final TimeWindows MINUTES =
      TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), Duration.ofSeconds(30));

  // end::parts[]

  private PageViewsJob() {}

  // tag::versions[]
  /** Version 1 counts every valid view. */
  public static KappaJob v1() {
    return job(views -> views);
  }

  /** Version 2, the change of logic: crawlers' views are not counted. */
  public static KappaJob v2() {
    return job(views -> views.filterNot((user, view) -> view.byBot(), Named.as("people-only")));
  }

  private static KappaJob job(UnaryOperator<KStream<String, PageView>> counted) {
    return KappaJob.named(NAME)
        .source(PAGE_VIEWS)
        .servingTable(VIEWS_BY_PAGE)
        .topology(builder -> define(builder, counted))
        .build();
  }

  private static void define(
      JobStreamsBuilder builder, UnaryOperator<KStream<String, PageView>> counted) {
    // Invalid views go to the dead-letter topic "page-views-v<n>-dead-letters", with the reason.
    KStream<String, PageView> valid =
        counted.apply(
            builder.validate("valid-views", builder.stream(PAGE_VIEWS), PageViewsJob::problem));
    builder.aggregate(
        valid.groupBy(
            (user, view) -> view.page(),
            Grouped.with("views-by-page", Codec.string().serde(), PAGE_VIEWS.values().serde())),
        MINUTES,
        EmitStrategy.onWindowUpdate(),
        VIEWS_BY_PAGE,
        () -> Views.NONE,
        (page, view, views) -> views.plusOne());
  }

  /** Why a view is invalid, or empty if it is valid. */
  static Optional<String> problem(String user, PageView view) {
    if (user == null || !user.equals(view.user())) {
      return Optional.of("a view is keyed by its user");
    }
    if (view.page() == null || view.page().isBlank()) {
      return Optional.of("the page is missing");
    }
    if (view.time() == null) {
      return Optional.of("the time is missing");
    }
    return Optional.empty();
  }
  // end::versions[]
}
