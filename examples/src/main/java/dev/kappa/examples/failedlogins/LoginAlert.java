package dev.kappa.examples.failedlogins;

import java.time.Instant;
import java.util.List;

/**
 * An IP address went over the threshold: the records of the {@link FailedLoginsJob#ALERTS} sink,
 * one per {@link Breach}, keyed by the IP address.
 *
 * <pre>{@code
 * {"ip":"203.0.113.7","at":"2026-11-22T10:00:10Z","failures":11,"users":["root"]}
 * }</pre>
 *
 * @param ip the IP address
 * @param at when it went over: the time of the failure that took it over
 * @param failures the failures within the 10 minutes that first showed it over: more than the
 *     threshold
 * @param users the distinct usernames tried in them, sorted, at most the job's limit
 */
public record LoginAlert(String ip, Instant at, long failures, List<String> users) {

  /** Copies {@code users}. */
  public LoginAlert {
    users = List.copyOf(users);
  }

  /** The alert for the start of {@code breach}. */
  static LoginAlert of(Breach breach) {
    return new LoginAlert(breach.ip(), breach.since(), breach.failures(), breach.users());
  }
}
