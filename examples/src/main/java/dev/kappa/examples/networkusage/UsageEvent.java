package dev.kappa.examples.networkusage;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One reading of a customer device's network usage, as it arrives on {@code usage-events} (key =
 * customer id):
 *
 * <pre>{@code
 * {"customerId":"c-000123","nodeId":"n-0042","agentId":"a-07","bytes":5120,"timestamp":"2026-11-22T10:00:00.123Z"}
 * }</pre>
 *
 * <p>Every field may be missing in a malformed reading; {@link NetworkUsageJob#problem} says which.
 *
 * @param customerId the customer whose device sent the reading
 * @param nodeId the node (a concentrator of many customers) the device is attached to
 * @param agentId the agent (a concentrator of many nodes) the node is attached to
 * @param bytes the bytes used since the previous reading; never negative in a valid reading
 * @param timestamp the event time, ISO-8601 UTC
 */
public record UsageEvent(
    @Nullable String customerId,
    @Nullable String nodeId,
    @Nullable String agentId,
    @Nullable Long bytes,
    @Nullable Instant timestamp) {}
