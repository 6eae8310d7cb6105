package dev.kappa.examples.pagehits;

import java.util.ArrayList;
import java.util.List;

/**
 * The most viewed pages of one hour, most viewed first ({@link PageViews#RANKING}): the rows of
 * {@link PageHitsJob#TOP_PAGES}.
 *
 * <p>It holds only the top {@code n} pages, not every page of the hour. That is enough because the
 * views of a page in an hour only ever grow: a page outside the top can only enter it when its own
 * count grows, and then its new count arrives here ({@link #with}); a page inside the top that
 * grows stays inside. Counts that could also fall would need every page of the hour here.
 *
 * @param pages at most {@code n} pages, most viewed first
 */
public record TopPages(List<PageViews> pages) {

  /** No page yet: where every hour starts. */
  public static final TopPages NONE = new TopPages(List.of());

  /** Copies {@code pages}. */
  public TopPages {
    pages = List.copyOf(pages);
  }

  /**
   * These pages with {@code views} put in at their rank, cut to the {@code n} most viewed: the
   * adder of the aggregation. The page's previous count has been taken out before ({@link
   * #without}).
   */
  public TopPages with(PageViews views, int n) {
    List<PageViews> ranked = new ArrayList<>(pages);
    ranked.add(views);
    ranked.sort(PageViews.RANKING);
    return new TopPages(ranked.subList(0, Math.min(n, ranked.size())));
  }

  /**
   * These pages without {@code views}, an old count of a page that has just changed: the subtractor
   * of the aggregation. A count that is not here (its page was not in the top) changes nothing.
   */
  public TopPages without(PageViews views) {
    List<PageViews> kept = new ArrayList<>(pages);
    kept.remove(views);
    return new TopPages(kept);
  }
}
