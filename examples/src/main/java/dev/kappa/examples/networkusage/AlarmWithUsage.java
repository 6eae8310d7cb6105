package dev.kappa.examples.networkusage;

import org.jspecify.annotations.Nullable;

/**
 * An alarm of a node joined with one usage reading of that node within 10 seconds of it, or with no
 * reading ({@code null}) if the node sent none in that time.
 *
 * @param alarm the alarm
 * @param reading a reading of the same node within 10 s of the alarm; null if there was none
 */
public record AlarmWithUsage(NodeAlarm alarm, @Nullable UsageEvent reading) {}
