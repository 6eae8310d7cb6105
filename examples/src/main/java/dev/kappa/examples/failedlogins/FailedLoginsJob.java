package dev.kappa.examples.failedlogins;

import dev.kappa.serde.Codec;
import dev.kappa.stores.PersistentStores;
import dev.kappa.topology.JobStreamsBuilder;
import dev.kappa.topology.KappaJob;
import dev.kappa.topology.ServingTable;
import dev.kappa.topology.Sink;
import dev.kappa.topology.Source;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.SlidingWindows;
import org.apache.kafka.streams.kstream.Windowed;

/**
 * The failed-logins job: more than {@value #THRESHOLD} failed logins from one IP address within 10
 * minutes is an attack to look at. This is Siddhi's windowed count with {@code HAVING count > 10},
 * with one alert per breach instead of one per failure.
 *
 * <ul>
 *   <li>Attempts ({@link #LOGIN_ATTEMPTS}, keyed by IP address) without an IP, a username, an
 *       outcome or a time, keyed by another IP than their own, or that are not JSON go to the
 *       dead-letter topic {@code failed-logins-dead-letters} with the reason. Successful logins
 *       count for nothing.
 *   <li>{@link #FAILED_LOGINS_BY_IP}: the failures of each IP in sliding 10-minute windows ({@link
 *       #TEN_MINUTES}), kept queryable for an hour.
 *   <li>{@link #ALERTS}: one {@link LoginAlert} per breach, when the IP goes over.
 *   <li>{@link #IPS_OVER_THRESHOLD}: the IPs over the threshold now, each with its {@link Breach}.
 * </ul>
 *
 * <h2>Why sliding windows</h2>
 *
 * A burst must be caught wherever it falls. Tumbling 10-minute windows miss 11 failures from 10:05
 * to 10:14, split 5 and 6 between 10:00-10:10 and 10:10-10:20. Hopping windows of 10 minutes that
 * advance by a minute still miss 11 failures that span more than 9 minutes from off the minute
 * (10:00:30 to 10:10:30: the windows from 10:00 and from 10:01 each hold 10), and they count every
 * failure ten times. Sliding windows ({@link SlidingWindows#ofTimeDifferenceAndGrace}) hold every
 * distinct set of failures that lie at most 10 minutes apart, first to last included, with one
 * window per failure and one just after it, so a count over the threshold in any 10 minutes shows
 * in some window, and nothing else does.
 *
 * <h2>What a breach is</h2>
 *
 * At a moment {@code t} an IP is <em>over</em> when more than {@value #THRESHOLD} of its failures
 * lie within the 10 minutes up to {@code t}, both ends included. A <em>breach</em> is a period in
 * which the IP is over without a break of even a millisecond. It starts with the failure that takes
 * the IP over, which raises the alert; a burst that goes on extends the breach and raises nothing;
 * once the IP has been at or under the threshold, the next time it goes over is a new breach and a
 * new alert. The IP is in {@link #IPS_OVER_THRESHOLD} from the start of its breach until the stream
 * time (the latest failure seen in its partition) passes the breach's end: when the oldest failure
 * that kept it over leaves the 10 minutes. See {@link BreachTracker} for how windows become
 * breaches.
 *
 * <p>A failure up to {@link #GRACE} late (behind the latest failure of its partition) still counts
 * in every window, and may start or extend a breach. A late failure that joins two breaches does
 * not take back the second alert.
 *
 * <p>The job has two versions with the same name, sources, tables and sink: {@link #job()} (v1)
 * counts failures; {@link #v2()} counts the distinct accounts tried.
 */
public final class FailedLoginsJob {

  /** The job's name, the same in every version. */
  public static final String NAME = "failed-logins";

  /** An IP is over when it has more failures than this within 10 minutes. */
  public static final int THRESHOLD = 10;

  /** How many usernames windows, breaches and alerts list at most: all that v2 needs to count. */
  public static final int MAX_USERS = THRESHOLD + 1;

  /** How late a failure may arrive and still count. */
  public static final Duration GRACE = Duration.ofSeconds(30);

  /** Every span of 10 minutes, both ends included; see the class comment for why. */
  public static final SlidingWindows TEN_MINUTES =
      SlidingWindows.ofTimeDifferenceAndGrace(Duration.ofMinutes(10), GRACE);

  public static final Source<String, LoginAttempt> LOGIN_ATTEMPTS =
      Source.of("login-attempts", Codec.string(), Codec.json(LoginAttempt.class))
          .withEventTime(LoginAttempt::time);

  /** Failed logins per IP in sliding 10-minute windows, kept for an hour. */
  public static final ServingTable<String, FailedLogins> FAILED_LOGINS_BY_IP =
      ServingTable.windowed("failed-logins-by-ip", Codec.string(), Codec.json(FailedLogins.class))
          .withRetention(Duration.ofHours(1));

  /** The IPs over the threshold now, by IP, with their breach. */
  public static final ServingTable<String, Breach> IPS_OVER_THRESHOLD =
      ServingTable.keyValue("ips-over-threshold", Codec.string(), Codec.json(Breach.class));

  /** One alert per breach, keyed by IP. */
  public static final Sink<String, LoginAlert> ALERTS =
      Sink.of("alerts", Codec.string(), Codec.json(LoginAlert.class));

  /** The store in which {@link BreachTracker} remembers recent breaches; not served. */
  static final String BREACH_HISTORY = "breach-history";

  private FailedLoginsJob() {}

  /** Version 1: an IP is over with more than {@value #THRESHOLD} failures in 10 minutes. */
  public static KappaJob job() {
    return definition(window -> window.failures() > THRESHOLD);
  }

  /**
   * Version 2, the change of logic: an IP is over when more than {@value #THRESHOLD} distinct
   * accounts failed from it within 10 minutes. v1 also alerts on a person who mistypes their own
   * password eleven times, or an office behind one address; v2 looks for password spraying and
   * credential stuffing, which try many accounts, and leaves repeated failures of one account to
   * the account lockout.
   */
  public static KappaJob v2() {
    return definition(window -> window.users().size() > THRESHOLD);
  }

  private static KappaJob definition(Predicate<FailedLogins> overThreshold) {
    return KappaJob.named(NAME)
        .source(LOGIN_ATTEMPTS)
        .servingTable(FAILED_LOGINS_BY_IP)
        .servingTable(IPS_OVER_THRESHOLD)
        .sink(ALERTS)
        .topology(builder -> define(builder, overThreshold))
        .build();
  }

  private static void define(JobStreamsBuilder builder, Predicate<FailedLogins> overThreshold) {
    // Bad attempts leave here for the dead-letter topic, with the reason.
    KStream<String, LoginAttempt> failures =
        builder
            .validate("valid-attempts", builder.stream(LOGIN_ATTEMPTS), FailedLoginsJob::problem)
            .filterNot((ip, attempt) -> attempt.succeeded(), Named.as("failed-attempts"));

    // Attempts arrive keyed by IP, the key of every count: no repartition.
    KTable<Windowed<String>, FailedLogins> windows =
        builder.aggregate(
            failures.groupByKey(
                Grouped.with(
                    "failed-attempts-by-ip",
                    Codec.string().serde(),
                    LOGIN_ATTEMPTS.values().serde())),
            TEN_MINUTES,
            EmitStrategy.onWindowUpdate(),
            FAILED_LOGINS_BY_IP,
            () -> FailedLogins.NONE,
            (ip, attempt, window) -> window.add(attempt, MAX_USERS));

    // Every update of a window, as it happens, goes to the tracker: an alert comes with the failure
    // that takes the IP over, not when its window closes. The tracker writes the table of IPs over
    // the threshold itself, since rows leave it as time passes, which no aggregation does.
    builder.addServingStore(IPS_OVER_THRESHOLD);
    builder
        .streamsBuilder()
        .addStateStore(
            PersistentStores.keyValueStoreBuilder(
                BREACH_HISTORY, Codec.string(), Codec.json(BreachHistory.class)));
    KStream<String, LoginAlert> alerts =
        windows
            .toStream(Named.as("failed-login-window-updates"))
            .process(
                () ->
                    new BreachTracker(
                        overThreshold,
                        MAX_USERS,
                        Duration.ofMillis(TEN_MINUTES.timeDifferenceMs()),
                        GRACE),
                Named.as("track-breaches"),
                IPS_OVER_THRESHOLD.name(),
                BREACH_HISTORY);
    builder.to(alerts, ALERTS);
  }

  /** Why an attempt is invalid, or empty if it is valid. */
  public static Optional<String> problem(String key, LoginAttempt attempt) {
    if (isBlank(attempt.ip())) {
      return Optional.of("the ip is missing");
    }
    if (!attempt.ip().equals(key)) {
      return Optional.of("the key '" + key + "' is not the attempt's ip '" + attempt.ip() + "'");
    }
    if (isBlank(attempt.username())) {
      return Optional.of("the username is missing");
    }
    if (attempt.succeeded() == null) {
      return Optional.of("succeeded is missing");
    }
    if (attempt.time() == null) {
      return Optional.of("the time is missing");
    }
    return Optional.empty();
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
