package dev.kappa.examples.failedlogins;

import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The failed logins of one IP address in one sliding 10-minute window: the values of {@link
 * FailedLoginsJob#FAILED_LOGINS_BY_IP}.
 *
 * <p>Besides the count it keeps the times of the first and the last failure in the window, which
 * tell for how long the IP is over the threshold ({@link Breach#of}), and the accounts tried: the
 * alphabetically first few distinct usernames, as many as the job needs to see ({@link
 * FailedLoginsJob#THRESHOLD} + 1). Keeping the first ones by name, not the first ones to arrive,
 * makes the list a function of the window's failures alone, whatever order they were added in.
 *
 * @param failures how many failed logins the window holds
 * @param first the time of the earliest of them; null in {@link #NONE}
 * @param last the time of the latest of them; null in {@link #NONE}
 * @param users the distinct usernames tried, sorted, at most the job's limit
 */
public record FailedLogins(
    long failures, @Nullable Instant first, @Nullable Instant last, List<String> users) {

  /** No failure: where every window starts. */
  public static final FailedLogins NONE = new FailedLogins(0, null, null, List.of());

  /** Copies {@code users}. */
  public FailedLogins {
    users = List.copyOf(users);
  }

  /** This window with one more failed {@code attempt}, keeping at most {@code maxUsers} names. */
  public FailedLogins add(LoginAttempt attempt, int maxUsers) {
    Instant time = attempt.time();
    TreeSet<String> names = new TreeSet<>(users);
    names.add(attempt.username());
    return new FailedLogins(
        failures + 1,
        first == null || time.isBefore(first) ? time : first,
        last == null || time.isAfter(last) ? time : last,
        names.stream().limit(maxUsers).toList());
  }
}
