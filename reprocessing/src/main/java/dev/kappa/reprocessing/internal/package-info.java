/**
 * How a host runs versions, split by responsibility behind {@link dev.kappa.reprocessing.JobHost}:
 * which versions run here ({@link dev.kappa.reprocessing.internal.VersionLifecycle}), one Kafka
 * Streams instance per version with its aligned clients ({@link
 * dev.kappa.reprocessing.internal.VersionRuntime}), the measurement of progress and catch-up
 * ({@link dev.kappa.reprocessing.internal.ProgressMeter}, {@link
 * dev.kappa.reprocessing.internal.CatchUpChecker}), retirement ({@link
 * dev.kappa.reprocessing.internal.Retirer}) and JMX metrics ({@link
 * dev.kappa.reprocessing.internal.ReplayMetrics}).
 */
@NullMarked
package dev.kappa.reprocessing.internal;

import org.jspecify.annotations.NullMarked;
