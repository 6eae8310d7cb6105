package dev.kappa.examples.pagehits;

import java.util.Comparator;

/**
 * How many views one page had in one hour: an entry of {@link TopPages}.
 *
 * @param page the path of the page
 * @param views its views in the hour
 */
public record PageViews(String page, long views) {

  /** Most viewed first; pages with as many views by path, so that the ranking is stable. */
  public static final Comparator<PageViews> RANKING =
      Comparator.comparingLong(PageViews::views).reversed().thenComparing(PageViews::page);
}
