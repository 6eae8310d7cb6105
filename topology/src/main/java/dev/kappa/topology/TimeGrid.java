package dev.kappa.topology;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * Tumbling windows laid end to end on the time line, in UTC: either windows of one fixed size
 * aligned to the epoch (as Kafka Streams' tumbling {@link TimeWindows} are, so a minute window
 * starts on the minute), or calendar months. Each timestamp falls in exactly one window.
 *
 * <p>The windows of a rollup ({@link JobStreamsBuilder#rollUp}) must be coarser than those of the
 * table it is built from: every finer window must lie inside one coarser window ({@link
 * #fitsInto}). Minutes fit into hours, hours into days, days into months; 7-minute windows do not
 * fit into hours.
 *
 * <pre>{@code
 * TimeGrid hours = TimeGrid.of(Duration.ofHours(1));
 * TimeGrid months = TimeGrid.months();
 * }</pre>
 *
 * <p>Instances are immutable.
 */
public final class TimeGrid {

  private static final long DAY_MS = Duration.ofDays(1).toMillis();
  private static final Duration LONGEST_MONTH = Duration.ofDays(31);

  /** The window size in milliseconds, or 0 for calendar months. */
  private final long sizeMs;

  private TimeGrid(long sizeMs) {
    this.sizeMs = sizeMs;
  }

  /**
   * Windows of {@code size}, aligned to the epoch.
   *
   * @throws IllegalArgumentException if {@code size} is not positive or has a fraction of a
   *     millisecond
   */
  public static TimeGrid of(Duration size) {
    Objects.requireNonNull(size, "size");
    if (size.isNegative() || size.isZero() || size.toNanosPart() % 1_000_000 != 0) {
      throw new IllegalArgumentException(
          "A window size must be a positive number of milliseconds, was " + size);
    }
    return new TimeGrid(size.toMillis());
  }

  /**
   * The windows of tumbling {@code windows}.
   *
   * @throws IllegalArgumentException if {@code windows} hop (advance by less than their size)
   */
  public static TimeGrid of(TimeWindows windows) {
    Objects.requireNonNull(windows, "windows");
    if (windows.advanceMs != windows.size()) {
      throw new IllegalArgumentException(
          "Only tumbling windows can be aggregated in two phases or rolled up; these advance by "
              + windows.advanceMs
              + " ms and last "
              + windows.size()
              + " ms, so each record falls in several windows. Use TimeWindows.ofSizeAndGrace(..)"
              + " without advanceBy(..).");
    }
    return new TimeGrid(windows.size());
  }

  /** Calendar months in UTC: each window starts on the first day of a month at midnight. */
  public static TimeGrid months() {
    return new TimeGrid(0);
  }

  /** The start of the window that holds {@code timestamp} (epoch milliseconds). */
  public long startOf(long timestamp) {
    if (sizeMs > 0) {
      return timestamp - Math.floorMod(timestamp, sizeMs);
    }
    LocalDate day = Instant.ofEpochMilli(timestamp).atZone(ZoneOffset.UTC).toLocalDate();
    return day.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  /** The end (exclusive) of the window that starts at {@code start}. */
  public long endOf(long start) {
    if (sizeMs > 0) {
      return start + sizeMs;
    }
    LocalDate first = Instant.ofEpochMilli(start).atZone(ZoneOffset.UTC).toLocalDate();
    return first.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  /** The end (exclusive) of the window that starts at {@code start}. */
  public Instant endOf(Instant start) {
    return Instant.ofEpochMilli(endOf(start.toEpochMilli()));
  }

  /** The longest window: the size, or 31 days for months. */
  public Duration longestWindow() {
    return sizeMs > 0 ? Duration.ofMillis(sizeMs) : LONGEST_MONTH;
  }

  /** Whether every window of this grid lies inside one window of {@code coarser}. */
  public boolean fitsInto(TimeGrid coarser) {
    Objects.requireNonNull(coarser, "coarser");
    if (sizeMs == 0) {
      return coarser.sizeMs == 0;
    }
    long outer = coarser.sizeMs == 0 ? DAY_MS : coarser.sizeMs;
    return outer % sizeMs == 0;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TimeGrid grid && grid.sizeMs == sizeMs;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(sizeMs);
  }

  @Override
  public String toString() {
    return sizeMs > 0 ? Duration.ofMillis(sizeMs).toString() : "calendar months (UTC)";
  }
}
