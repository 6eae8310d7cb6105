package dev.kappa.api.query;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/** Reads query parameters, with messages that say what to send instead. */
final class QueryParameters {

  /** How far back a window query looks when it names no {@code from}. */
  static final Duration DEFAULT_WINDOW_SPAN = Duration.ofHours(1);

  /**
   * The range of times a query may name: Kafka record times are not negative, and the stores count
   * in milliseconds since the epoch.
   */
  static final Instant EARLIEST = Instant.EPOCH;

  static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

  static final int DEFAULT_LIMIT = 1000;
  static final int MAX_LIMIT = 100_000;

  private QueryParameters() {}

  /** Two instants, {@code from} not after {@code to}. */
  record TimeRange(Instant from, Instant to) {}

  static @Nullable Integer version(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      int version =
          Integer.parseInt(text.strip().startsWith("v") ? text.strip().substring(1) : text.strip());
      if (version < 1) {
        throw new NumberFormatException();
      }
      return version;
    } catch (NumberFormatException e) {
      throw new BadQueryException(
          "Bad version '" + text + "': send a version number from 1, such as version=2");
    }
  }

  static Instant instant(String name, @Nullable String text, Instant otherwise) {
    if (text == null || text.isBlank()) {
      return otherwise;
    }
    Instant instant;
    try {
      instant = Instant.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw new BadQueryException(
          "Bad time '"
              + text
              + "' for '"
              + name
              + "': send an ISO-8601 instant in UTC, such as 2026-11-23T10:00:00Z");
    }
    if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
      throw new BadQueryException(
          "Bad time '"
              + text
              + "' for '"
              + name
              + "': send an instant from "
              + EARLIEST
              + " to "
              + LATEST);
    }
    return instant;
  }

  /** The time range [from, to], {@code to} defaulting to now and {@code from} to an hour before. */
  static TimeRange timeRange(@Nullable String from, @Nullable String to) {
    Instant end = instant("to", to, Instant.now());
    Instant hourBefore = end.minus(DEFAULT_WINDOW_SPAN);
    Instant start = instant("from", from, hourBefore.isBefore(EARLIEST) ? EARLIEST : hourBefore);
    if (start.isAfter(end)) {
      throw new BadQueryException(
          "Bad time range: from " + start + " is after to " + end + "; send from <= to");
    }
    return new TimeRange(start, end);
  }

  static int limit(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(text.strip());
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new NumberFormatException();
      }
      return limit;
    } catch (NumberFormatException e) {
      throw new BadQueryException(
          "Bad limit '" + text + "': send a number of rows from 1 to " + MAX_LIMIT);
    }
  }
}
