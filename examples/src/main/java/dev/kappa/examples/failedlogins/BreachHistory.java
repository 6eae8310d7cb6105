package dev.kappa.examples.failedlogins;

import java.util.List;

/**
 * The recent breaches of one IP address, oldest first, that {@link BreachTracker} remembers so that
 * a late failure which extends one of them does not raise a second alert.
 *
 * @param breaches the breaches, oldest first; none overlap or meet
 */
record BreachHistory(List<Breach> breaches) {

  /** Copies {@code breaches}. */
  BreachHistory {
    breaches = List.copyOf(breaches);
  }
}
