package dev.kappa.examples.pagehits;

import java.util.Comparator;

/**
 * The composite key of {@link PageHitsJob#VIEWS_BY_USER_PAGE}: one user and one page. It is written
 * as JSON, {@code {"user":"ada","page":"/pricing"}}, which is also how a query names it:
 *
 * <pre>
 * curl 'localhost:8080/jobs/page-hits/tables/views-by-user-page/keys/%7B%22user%22%3A%22ada%22%2C%22page%22%3A%22%2Fpricing%22%7D'
 * </pre>
 *
 * <p>Keys are ordered by user, then page, so that range answers come sorted.
 *
 * @param user the user id
 * @param page the path of the page
 */
public record UserPage(String user, String page) implements Comparable<UserPage> {

  private static final Comparator<UserPage> ORDER =
      Comparator.comparing(UserPage::user).thenComparing(UserPage::page);

  @Override
  public int compareTo(UserPage other) {
    return ORDER.compare(this, other);
  }
}
