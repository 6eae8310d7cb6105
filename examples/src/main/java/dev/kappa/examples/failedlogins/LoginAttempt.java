package dev.kappa.examples.failedlogins;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One login attempt, as the sign-in service writes it to {@code login-attempts} (key = the IP
 * address it came from):
 *
 * <pre>{@code
 * {"ip":"203.0.113.7","username":"root","succeeded":false,"time":"2026-11-22T10:00:00.250Z"}
 * }</pre>
 *
 * <p>Every field may be missing in a malformed attempt; {@link FailedLoginsJob#problem} says which
 * ones must be there.
 *
 * @param ip the client's IP address; the record's key
 * @param username the account it tried to sign in to
 * @param succeeded whether the password was right
 * @param time when it was tried (the event time), ISO-8601 UTC
 */
public record LoginAttempt(
    @Nullable String ip,
    @Nullable String username,
    @Nullable Boolean succeeded,
    @Nullable Instant time) {}
