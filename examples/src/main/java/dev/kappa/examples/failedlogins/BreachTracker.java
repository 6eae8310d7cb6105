package dev.kappa.examples.failedlogins;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.jspecify.annotations.Nullable;

/**
 * Turns the updates of the sliding-window counts into breaches: one {@link LoginAlert} when an IP
 * address goes over the threshold, none while it stays over, and the rows of {@link
 * FailedLoginsJob#IPS_OVER_THRESHOLD} while it is.
 *
 * <p>Each window over the threshold says that the IP is over from the window's last failure until
 * 10 minutes after its first ({@link Breach#of}). Sliding windows hold every set of failures that
 * fits into 10 minutes, so these spans together are exactly the times at which the IP is over; a
 * breach is a run of them with no millisecond between. A span that touches none of the IP's
 * breaches starts a new one and raises its alert; one that touches a breach extends it; one that
 * touches two (a late failure filled the gap) joins them, and their two alerts stand.
 *
 * <p>Time here is the latest failure seen (the stream time of the counts), so the tracker answers
 * the same for a replay as it did live. An IP leaves the table once that time passes its breach's
 * {@link Breach#until}; its breach is remembered for 10 minutes and the grace period longer, as
 * long as a failure arriving late can still extend it. In a partition without new failures, time
 * stands still, and so does the table.
 *
 * <p>One instance per task, used by its stream thread only.
 */
final class BreachTracker implements Processor<Windowed<String>, FailedLogins, String, LoginAlert> {

  private final Predicate<FailedLogins> overThreshold;
  private final int maxUsers;
  private final Duration timeDifference;
  private final Duration remembered;

  private ProcessorContext<String, LoginAlert> context;
  private TimestampedKeyValueStore<String, Breach> overNow;
  private TimestampedKeyValueStore<String, BreachHistory> histories;
  private long latestFailure = Long.MIN_VALUE;
  // The earliest time at which a row may leave the table or a breach be forgotten; not kept across
  // restarts, so the first update after one looks at every IP.
  private long nextSweep = Long.MIN_VALUE;

  /**
   * @param overThreshold whether a window holds more failures than the job allows
   * @param maxUsers how many usernames a breach lists at most
   * @param timeDifference the time difference of the sliding windows
   * @param grace the grace period of the sliding windows
   */
  BreachTracker(
      Predicate<FailedLogins> overThreshold,
      int maxUsers,
      Duration timeDifference,
      Duration grace) {
    this.overThreshold = overThreshold;
    this.maxUsers = maxUsers;
    this.timeDifference = timeDifference;
    // A failure is counted while the window that ends 10 minutes after it is open (grace included);
    // the windows it changes start no earlier than itself.
    this.remembered = timeDifference.plus(grace);
  }

  @Override
  public void init(ProcessorContext<String, LoginAlert> context) {
    this.context = context;
    this.overNow = context.getStateStore(FailedLoginsJob.IPS_OVER_THRESHOLD.name());
    this.histories = context.getStateStore(FailedLoginsJob.BREACH_HISTORY);
  }

  @Override
  public void process(Record<Windowed<String>, FailedLogins> update) {
    FailedLogins window = update.value();
    if (window == null || window.last() == null) {
      return;
    }
    latestFailure = Math.max(latestFailure, window.last().toEpochMilli());
    if (overThreshold.test(window)) {
      track(Breach.of(update.key().key(), window, timeDifference), update.timestamp());
    }
    if (latestFailure > nextSweep) {
      sweep();
    }
  }

  private void track(Breach seen, long timestamp) {
    String ip = seen.ip();
    ValueAndTimestamp<BreachHistory> history = histories.get(ip);
    List<Breach> others = new ArrayList<>();
    Breach breach = seen;
    boolean known = false;
    for (Breach earlier : history == null ? List.<Breach>of() : history.value().breaches()) {
      if (earlier.touches(breach)) {
        breach = breach.merge(earlier, maxUsers);
        known = true;
      } else {
        others.add(earlier);
      }
    }
    if (!known) {
      context.forward(new Record<>(ip, LoginAlert.of(breach), breach.since().toEpochMilli()));
    }
    others.add(breach);
    others.sort(Comparator.comparing(Breach::since));
    histories.put(ip, ValueAndTimestamp.make(new BreachHistory(others), timestamp));
    long until = breach.until().toEpochMilli();
    if (until >= latestFailure) {
      overNow.put(ip, ValueAndTimestamp.make(breach, timestamp));
    }
    nextSweep = Math.min(nextSweep, until);
  }

  /** Takes the IPs whose breach has passed out of the table, and forgets old breaches. */
  private void sweep() {
    Instant now = Instant.ofEpochMilli(latestFailure);
    Instant forgetBefore = now.minus(remembered);
    Map<String, @Nullable ValueAndTimestamp<BreachHistory>> changed = new LinkedHashMap<>();
    List<String> passed = new ArrayList<>();
    long next = Long.MAX_VALUE;
    // Changes wait until the iterator is closed: a store is not written while it is read through.
    try (KeyValueIterator<String, ValueAndTimestamp<BreachHistory>> all = histories.all()) {
      while (all.hasNext()) {
        KeyValue<String, ValueAndTimestamp<BreachHistory>> entry = all.next();
        List<Breach> breaches = entry.value.value().breaches();
        List<Breach> kept = new ArrayList<>();
        for (Breach breach : breaches) {
          if (breach.until().isBefore(forgetBefore)) {
            continue;
          }
          kept.add(breach);
          next = Math.min(next, breach.until().plus(remembered).toEpochMilli());
        }
        if (kept.size() < breaches.size()) {
          changed.put(
              entry.key,
              kept.isEmpty()
                  ? null
                  : ValueAndTimestamp.make(new BreachHistory(kept), entry.value.timestamp()));
        }
        Breach latest = breaches.get(breaches.size() - 1);
        if (latest.until().isBefore(now)) {
          passed.add(entry.key);
        } else {
          next = Math.min(next, latest.until().toEpochMilli());
        }
      }
    }
    changed.forEach(
        (ip, history) -> {
          if (history == null) {
            histories.delete(ip);
          } else {
            histories.put(ip, history);
          }
        });
    for (String ip : passed) {
      if (overNow.get(ip) != null) {
        overNow.delete(ip);
      }
    }
    nextSweep = next;
  }
}
