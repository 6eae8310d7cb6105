package dev.kappa.examples.failedlogins;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

/**
 * A period in which one IP address was over the threshold without a break: the rows of {@link
 * FailedLoginsJob#IPS_OVER_THRESHOLD}, and the unit that gets one alert.
 *
 * @param ip the IP address
 * @param since the first moment it was over: the time of the failure that took it over
 * @param until the last moment it is over as far as the failures seen so far tell: the moment the
 *     oldest failure that keeps it over leaves the 10 minutes. Later failures can move it on
 * @param failures the most failures it had within 10 minutes during the breach
 * @param users the distinct usernames tried, sorted, at most the job's limit
 */
public record Breach(String ip, Instant since, Instant until, long failures, List<String> users) {

  /** Copies {@code users}. */
  public Breach {
    users = List.copyOf(users);
  }

  /**
   * What a window over the threshold tells about {@code ip}: from its last failure until the time
   * difference after its first one, every 10-minute span ending then holds all of its failures, so
   * the IP is over.
   */
  static Breach of(String ip, FailedLogins window, Duration timeDifference) {
    return new Breach(
        ip, window.last(), window.first().plus(timeDifference), window.failures(), window.users());
  }

  /** Whether this breach and {@code other} overlap or meet, leaving no millisecond between them. */
  boolean touches(Breach other) {
    return !since.isAfter(other.until.plusMillis(1)) && !other.since.isAfter(until.plusMillis(1));
  }

  /** The breach that this and {@code other}, which touch, make together. */
  Breach merge(Breach other, int maxUsers) {
    TreeSet<String> names = new TreeSet<>(users);
    names.addAll(other.users);
    return new Breach(
        ip,
        since.isBefore(other.since) ? since : other.since,
        until.isAfter(other.until) ? until : other.until,
        Math.max(failures, other.failures),
        names.stream().limit(maxUsers).toList());
  }
}
