/**
 * How {@link dev.kappa.reprocessing.deadletter.DeadLetters} works: reading ranges of a partition
 * under {@code read_committed} ({@link
 * dev.kappa.reprocessing.deadletter.internal.PartitionReader}), the log of re-driven letters
 * ({@link dev.kappa.reprocessing.deadletter.internal.RedriveLog}) and the transaction that sends
 * letters and logs them at once ({@link dev.kappa.reprocessing.deadletter.internal.Redriver}).
 */
@NullMarked
package dev.kappa.reprocessing.deadletter.internal;

import org.jspecify.annotations.NullMarked;
