package dev.kappa.examples.pagehits;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One page shown to a user, as it arrives on {@code page-hits} (key = user id):
 *
 * <pre>{@code
 * {"user":"ada","page":"/pricing","userAgent":"Mozilla/5.0 (X11; Linux x86_64)","time":"2026-11-22T10:05:00Z"}
 * }</pre>
 *
 * <p>Every field may be missing in a malformed hit; {@link PageHitsJob#problem} says which ones
 * must be there.
 *
 * @param user who was shown the page; the record's key
 * @param page the path of the page
 * @param userAgent the browser's {@code User-Agent} header, if it sent one
 * @param time when the page was shown (the event time), ISO-8601 UTC
 */
public record PageHit(
    @Nullable String user,
    @Nullable String page,
    @Nullable String userAgent,
    @Nullable Instant time) {}
