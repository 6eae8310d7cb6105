package dev.kappa.examples.networkusage;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An alarm raised by a node, as it arrives on {@code node-alarms} (key = node id):
 *
 * <pre>{@code
 * {"nodeId":"n-0042","kind":"link-down","timestamp":"2026-11-22T10:00:05Z"}
 * }</pre>
 *
 * @param nodeId the node that raised the alarm
 * @param kind what happened, for example {@code link-down} or {@code high-latency}
 * @param timestamp the event time, ISO-8601 UTC
 */
public record NodeAlarm(
    @Nullable String nodeId, @Nullable String kind, @Nullable Instant timestamp) {}
